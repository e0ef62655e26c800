{
  "schemapin_version": "1.3",
  "skill_name": "fixture-skill",
  "skill_hash": "sha256:7565b3007932d3b7b10da031f9d01a27b403750ac3a99298cf0b948a980c3b21",
  "signature": "MEUCIQDpcgMTGcHimtEGn6KIf8iAHFbvEuDw7W3QiUe11nOPWgIgI2a9xc1sAmxnblGquYrV9TTYrHgLnmPs4lt5JfO/GZo=",
  "signed_at": "2026-01-15T10:00:00Z",
  "domain": "fixtures.example",
  "signer_kid": "sha256:3b9606a0b33c76b4cad97c4a3b838570662267a3b71223023a78b944ed7a89c4",
  "file_manifest": {
    ".hidden/config.toml": "sha256:783ca76fa64873cc814556b1c11db369bc1397160674bb18cb1b75bda26d497a",
    "10.txt": "sha256:872a1eccc47838d12d753c32ea3146720577d1678e68b3cd00a7956a5bf645bf",
    "9.txt": "sha256:a44659b5d2024ba4d2f1a69dd932100cd3686472d28e103096f13ba21b792246",
    "SKILL.md": "sha256:603576bc4452919355519998bb8efee43d154197f5f01fcda94a859255ca75c8",
    "données.txt": "sha256:430f5847f7a8bfd607bd868a5a37495b8b7a58c2e28127f2b2f5ddb44401df76",
    "scripts/run.sh": "sha256:71cba533742b1bb4725cd823bd46a0709f0f014ac004bf3655d077ef5b700d02"
  }
}
