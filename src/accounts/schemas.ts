import { Type } from 'typebox';
import { roles } from '../../db/tables.ts';
import { IdSchema, literals } from '../http/schemas.ts';
import { PASSWORD_MAX, PASSWORD_MIN } from './secrets.ts';
import { identityDocumentTypes } from './staff.ts';
import { EMAIL_MAX } from './secrets.ts';

export const EmailSchema = Type.String({ format: 'email', maxLength: EMAIL_MAX, examples: ['reader@example.org'] });
export const PasswordSchema = Type.String({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX, description: `${PASSWORD_MIN} to ${PASSWORD_MAX} characters` });
export const NameSchema = Type.String({ minLength: 1, maxLength: 200, pattern: '\\S' });
export const AffiliationSchema = Type.String({ maxLength: 300 });
export const ResearchTopicSchema = Type.String({ maxLength: 2000 });
export const TokenSchema = Type.String({ minLength: 1, maxLength: 200 });
export const RoleSchema = literals(roles);
export const DocumentTypeSchema = literals(identityDocumentTypes);

export const UserSchema = Type.Object({
  id: IdSchema,
  email: Type.String(),
  name: Type.String(),
  role: RoleSchema,
  affiliation: Type.Union([Type.String(), Type.Null()]),
  researchTopic: Type.Union([Type.String(), Type.Null()]),
  emailVerified: Type.Boolean(),
  identityVerified: Type.Boolean({ description: 'Photo ID checked at the desk on a first visit' }),
  disabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
});

export const TokenAnswerSchema = Type.Object({
  accessToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer({ description: 'Seconds until the token expires' }),
  user: UserSchema,
});

export const MessageSchema = Type.Object({ message: Type.String() });
