import { htmlTemplates, textTemplates } from '../templates.ts';
import { readableDate } from '../wording.ts';
import { subjects, type MailJob } from './catalogue.ts';

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

export interface MailSettings {
  libraryName: string;
  publicUrl: string;
}

/** Renders one e-mail from templates/mail/<kind>.html.eta and <kind>.txt.eta. */
export function renderMail(job: MailJob, settings: MailSettings): RenderedMail {
  const it = { ...job.data, recipient: job.to, ...settings, readableDate };
  const subject = (subjects[job.kind] as (data: MailJob['data'], library: string) => string)(job.data, settings.libraryName);
  return {
    subject,
    html: htmlTemplates.render(`./mail/${job.kind}.html.eta`, { ...it, subject }),
    text: textTemplates.render(`./mail/${job.kind}.txt.eta`, { ...it, subject }),
  };
}
