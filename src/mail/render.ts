import { fileURLToPath } from 'node:url';
import { Eta } from 'eta';
import { readableDate, subjects, type MailJob } from './catalogue.ts';

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

export interface MailSettings {
  libraryName: string;
  publicUrl: string;
}

const views = fileURLToPath(new URL('../../templates', import.meta.url));

// Two engines over the same folder: HTML output escapes every value (a researcher named
// `<script>` arrives as text), plain text must not, or a reader would see `&lt;`.
const html = new Eta({ views, autoEscape: true, cache: true });
const text = new Eta({ views, autoEscape: false, cache: true });

/** Renders one e-mail from templates/mail/<kind>.html.eta and <kind>.txt.eta. */
export function renderMail(job: MailJob, settings: MailSettings): RenderedMail {
  const it = { ...job.data, recipient: job.to, ...settings, readableDate };
  const subject = (subjects[job.kind] as (data: MailJob['data'], library: string) => string)(job.data, settings.libraryName);
  return {
    subject,
    html: html.render(`./mail/${job.kind}.html.eta`, { ...it, subject }),
    text: text.render(`./mail/${job.kind}.txt.eta`, { ...it, subject }),
  };
}
