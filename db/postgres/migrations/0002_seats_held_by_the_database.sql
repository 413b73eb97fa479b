-- The seat guarantee in PostgreSQL's terms. On SQLite one INSERT … SELECT reads the room's seats and
-- counts the day's appointments under the database's single write lock, so no two bookings can both
-- see the last seat free. PostgreSQL runs writers side by side (from several API machines), and a
-- statement does not see what another transaction commits meanwhile: the same statement would
-- oversell. Here every appointment that comes to take a seat (booked or attended, made, or moved to
-- a room and day) first writes its room's row (a no-op update), so the bookings of one room queue
-- there; then it counts. At READ COMMITTED (PostgreSQL's default) the count is a statement of its
-- own and sees every booking committed before the row was granted; at REPEATABLE READ or
-- SERIALIZABLE, a booking committed since the transaction began makes the update fail with a
-- serialization failure (40001), to be retried. A full day refuses with SQLSTATE 23P01,
-- `reading room full`.
CREATE FUNCTION "appointments_within_seats"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  room_seats integer;
  taken integer;
BEGIN
  IF NEW.status NOT IN ('booked', 'attended') THEN
    RETURN NEW;
  END IF;
  IF TG_OP = 'UPDATE' AND OLD.status IN ('booked', 'attended')
     AND OLD.reading_room_id = NEW.reading_room_id AND OLD.date = NEW.date THEN
    RETURN NEW; -- it held this seat already
  END IF;
  SELECT seats INTO room_seats FROM reading_rooms WHERE id = NEW.reading_room_id;
  IF room_seats IS NULL THEN
    RETURN NEW; -- unlimited: nothing to queue for
  END IF;
  UPDATE reading_rooms SET seats = seats WHERE id = NEW.reading_room_id RETURNING seats INTO room_seats;
  IF room_seats IS NULL THEN
    RETURN NEW;
  END IF;
  SELECT count(*) INTO taken FROM appointments
   WHERE reading_room_id = NEW.reading_room_id AND date = NEW.date AND status IN ('booked', 'attended')
     AND id IS DISTINCT FROM NEW.id;
  IF taken >= room_seats THEN
    RAISE EXCEPTION 'reading room full' USING ERRCODE = 'exclusion_violation',
      DETAIL = format('room %s has %s seats on %s, all taken', NEW.reading_room_id, room_seats, NEW.date);
  END IF;
  RETURN NEW;
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "appointments_within_seats" BEFORE INSERT OR UPDATE OF "status", "date", "reading_room_id" ON "appointments"
  FOR EACH ROW EXECUTE FUNCTION "appointments_within_seats"();
