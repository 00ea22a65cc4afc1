-- Local users of the built-in OIDC provider; a user's groups become the id_token's groups claim.
CREATE TABLE users (
    name          TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    email         TEXT,
    created_at    TEXT NOT NULL
);

CREATE TABLE user_groups (
    user_name  TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    group_name TEXT NOT NULL,
    PRIMARY KEY (user_name, group_name)
);
