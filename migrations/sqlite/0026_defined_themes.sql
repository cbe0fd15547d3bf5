-- Shop-defined comment themes (issue 16): a name and keywords (English or German words or
-- two-word phrases, one per line, as the shop wrote them). Comments are tagged when read
-- (app/defined_themes.h), so a theme added or changed applies to every comment at once.
CREATE TABLE defined_themes (
  id         INTEGER PRIMARY KEY,
  shop_id    INTEGER NOT NULL REFERENCES shops(id),
  name       TEXT NOT NULL,
  keywords   TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE UNIQUE INDEX defined_themes_shop_name ON defined_themes (shop_id, name);
