-- Issue #22 (the shop owner's day).

-- Who reads an export's CSV file: 'spreadsheet' (formula guard: a leading apostrophe before
-- = + - @) or 'program' (a mailing platform or another program: raw values). XLSX ignores it.
ALTER TABLE exports
  ADD COLUMN purpose text NOT NULL DEFAULT 'spreadsheet' CHECK (purpose IN ('spreadsheet', 'program'));
