package storage

import (
	"fmt"
	"strings"
	"sync"

	"gorm.io/gorm/schema"
)

// CheckModels verifies that each gorm model's table exists in the migrated
// schema with a column for every field, and that the table has no NOT NULL
// column without a default that the model cannot fill. Each package runs it
// for its row types on both dialects, so models and migrations cannot drift.
func CheckModels(db *DB, models ...any) error {
	var problems []string
	m := db.Gorm.Migrator()
	for _, model := range models {
		stmt := db.Gorm.Statement
		s, err := schema.Parse(model, &stmtCache, stmt.NamingStrategy)
		if err != nil {
			return fmt.Errorf("storage: parse model %T: %w", model, err)
		}
		if !m.HasTable(s.Table) {
			problems = append(problems, fmt.Sprintf("table %s missing", s.Table))
			continue
		}
		cols, err := m.ColumnTypes(s.Table)
		if err != nil {
			return fmt.Errorf("storage: columns of %s: %w", s.Table, err)
		}
		have := map[string]bool{}
		for _, c := range cols {
			have[strings.ToLower(c.Name())] = true
		}
		want := map[string]bool{}
		for _, f := range s.Fields {
			if f.DBName == "" {
				continue
			}
			want[strings.ToLower(f.DBName)] = true
			if !have[strings.ToLower(f.DBName)] {
				problems = append(problems, fmt.Sprintf("%s.%s: field %s has no column", s.Table, f.DBName, f.Name))
			}
		}
		for _, c := range cols {
			name := strings.ToLower(c.Name())
			nullable, _ := c.Nullable()
			_, hasDefault := c.DefaultValue()
			if !want[name] && !nullable && !hasDefault {
				problems = append(problems, fmt.Sprintf("%s.%s: NOT NULL column unknown to model %T", s.Table, name, model))
			}
		}
	}
	if len(problems) > 0 {
		return fmt.Errorf("storage: models and schema disagree:\n  %s", strings.Join(problems, "\n  "))
	}
	return nil
}

var stmtCache = sync.Map{}
