import AjvCompiler from '@fastify/ajv-compiler';
import SerializerSelector from '@fastify/fast-json-stringify-compiler';
import type { FastifyServerOptions } from 'fastify';

// Fastify compiles every route's validators (Ajv) and response serializers (fast-json-stringify)
// as the app gets ready: 160 routes, most of a second, before the first request, and again for
// every app a process builds (each test builds its own). These are Fastify's own two compilers,
// with its options; each schema is only compiled when a request first needs it, and kept. A
// schema that cannot compile is found by the first request of its route: test/fuzz/openapi.test.ts
// calls every operation of the API.

type ValidatorFactory = AjvCompiler.ValidatorFactory;
type Validator = ReturnType<AjvCompiler.ValidatorCompiler>;

const ajvCompilers = AjvCompiler();

/**
 * A validator compiled on its first use. Of the function it is given, Fastify calls it and reads
 * `schemaEnv` (to let Ajv coerce a whole request part) and `errors` (after a refusal): both are
 * read through from the compiled one, and nothing else of Ajv's is.
 */
function compiledOnFirstUse(compile: () => Validator): Validator {
  let validator: Validator | undefined;
  const compiled = () => (validator ??= compile());
  const validate = (data: unknown, context?: Parameters<Validator>[1]) => compiled()(data, context);
  Object.defineProperties(validate, {
    schemaEnv: { get: () => compiled().schemaEnv },
    errors: { get: () => compiled().errors },
  });
  return validate as unknown as Validator;
}

const buildValidator: ValidatorFactory = (externalSchemas, options) => {
  const compile = ajvCompilers(externalSchemas, options);
  return (route) => compiledOnFirstUse(() => compile(route));
};

const serializers = SerializerSelector();

const buildSerializer: SerializerSelector.SerializerFactory = (externalSchemas, options) => {
  const compile = serializers(externalSchemas, options);
  return (route) => {
    let serialize: SerializerSelector.Serializer | undefined;
    return (payload: unknown) => (serialize ??= compile(route))(payload);
  };
};

/** Fastify's `schemaController` option: its own compilers, each schema compiled when first used. */
export const compiledWhenFirstUsed: FastifyServerOptions['schemaController'] = {
  compilersFactory: { buildValidator, buildSerializer },
};
