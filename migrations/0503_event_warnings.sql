-- Warnings before expiry are pushed: when an open event reaches its warning time, the job
-- `governance.warnings` writes one notification to the level responsible for it (its
-- handling_region: the grid, or the level it was escalated to) and one to its department, and
-- marks the event so it is never warned twice.
ALTER TABLE gov_events ADD COLUMN warned_at timestamptz;
-- What the job reads: open events not yet warned, by warning time.
CREATE INDEX gov_events_warn_due ON gov_events (warn_at) WHERE closed_at IS NULL AND warned_at IS NULL;

CREATE TABLE gov_notifications (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  event_id    uuid NOT NULL REFERENCES gov_events (id),
  kind        text NOT NULL CHECK (kind IN ('warning')),
  -- 'unit': staff of that grid/region code (grid workers assigned to it); 'department': its staff.
  audience    text NOT NULL CHECK (audience IN ('unit', 'department')),
  recipient   text NOT NULL,
  -- The deadline the warning is about (the event's resolve_due_at when it was written).
  due_at      timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  -- A second run, or a second process, cannot write the same warning again.
  UNIQUE (event_id, kind, audience, recipient)
);
-- The inbox: a recipient's notifications, newest first (keyset pages).
CREATE INDEX gov_notifications_inbox ON gov_notifications (audience, recipient, created_at DESC, id DESC);

-- Who has read which notification (several people share a department's or a grid's inbox).
CREATE TABLE gov_notification_reads (
  notification_id uuid NOT NULL REFERENCES gov_notifications (id),
  user_id         uuid NOT NULL,
  read_at         timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (notification_id, user_id)
);
