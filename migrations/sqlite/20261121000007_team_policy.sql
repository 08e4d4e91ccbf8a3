-- Team mode: one row of team policy. `team_mode` is set by `sentinel db init-roles` (owner only);
-- admins may change the four-eyes rule and the approval expiry.

CREATE TABLE team_policy (
    id                   INTEGER PRIMARY KEY CHECK (id = 1),
    team_mode            INTEGER NOT NULL DEFAULT 0,
    four_eyes            INTEGER NOT NULL DEFAULT 1,
    approval_expiry_days INTEGER CHECK (approval_expiry_days BETWEEN 1 AND 3650),
    version              INTEGER NOT NULL DEFAULT 0
);

INSERT INTO team_policy (id) VALUES (1);
