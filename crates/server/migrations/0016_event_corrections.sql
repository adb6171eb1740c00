-- A lot event that corrects an earlier one of the same lot (the log stays append-only:
-- the earlier event is kept, and the public page shows the correction instead).
ALTER TABLE lot_events ADD COLUMN corrects_event_id BIGINT REFERENCES lot_events (id);
