import type { Writer } from '../../db/transactions.ts';
import type { MailClassSession } from '../mail/catalogue.ts';
import { queueMail } from '../mail/queue-mail.ts';
import { findRoom } from '../reading-rooms/store.ts';
import { mailContainer } from '../requests/mail.ts';
import { requestsOfClassSession, type RequestRow } from '../requests/store.ts';
import { findClassSession, type ClassSessionRow } from './store.ts';

/** A class session as its mails name it. */
export async function mailClassSession(tx: Writer, row: ClassSessionRow): Promise<MailClassSession> {
  const room = await findRoom(tx, row.readingRoomId);
  return {
    id: row.id,
    title: row.title,
    date: row.date,
    startTime: row.startTime,
    endTime: row.endTime,
    roomName: room?.name ?? '',
    instructorName: row.instructorName,
    headcount: row.headcount,
  };
}

export const instructorOf = (row: ClassSessionRow) => ({ email: row.instructorEmail, name: row.instructorName });

/**
 * After a curator decides one of a class session's restricted boxes: when none is left waiting,
 * the instructor hears of every decision, in one mail.
 */
export async function tellInstructorWhenDecided(tx: Writer, decided: RequestRow): Promise<void> {
  if (decided.classSessionId === null) return;
  const session = await findClassSession(tx, decided.classSessionId);
  if (!session || session.status !== 'booked') return;
  const boxes = await requestsOfClassSession(tx, session.id);
  if (boxes.some((r) => r.status === 'awaiting_approval')) return;
  await queueMail(tx, {
    kind: 'class-session-decided',
    to: instructorOf(session),
    data: {
      classSession: await mailClassSession(tx, session),
      decisions: boxes.filter((r) => r.restricted).map((r) => ({ container: mailContainer(r), note: r.decisionNote })),
    },
  });
}
