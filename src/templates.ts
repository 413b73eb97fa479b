import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import { templateHelpers } from './wording.ts';

const views = fileURLToPath(new URL('../templates', import.meta.url));

// Two engines over templates/: HTML output escapes every value (a researcher named `<script>`
// arrives as text); plain text must not, or a reader would see `&lt;`.
export const htmlTemplates = new Eta({ views, autoEscape: true, cache: true, functionHeader: templateHelpers });
export const textTemplates = new Eta({ views, autoEscape: false, cache: true, functionHeader: templateHelpers });
