package sqldb

import (
	"database/sql"
	"encoding/json"
	"math"
	"strings"
	"time"
	"unicode/utf8"
)

// clean returns s as valid UTF-8 without NUL bytes: each run of invalid
// bytes, and each NUL, becomes U+FFFD. PostgreSQL rejects both in text; SQLite would keep
// them, and both backends must store the same thing. Git metadata is not
// guaranteed to be UTF-8, so every string is cleaned before it is written and
// every lookup key before it is compared.
func clean(s string) string {
	if utf8.ValidString(s) && strings.IndexByte(s, 0) < 0 {
		return s
	}
	return strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "\uFFFD")
}

// fold returns the form of s used for case-insensitive comparison. It is
// computed here rather than with SQL lower(), whose SQLite version only
// folds ASCII.
func fold(s string) string {
	return strings.ToLower(clean(s))
}

// likeContains returns a LIKE pattern (with ESCAPE '\') matching any string
// that contains the folded q.
func likeContains(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(fold(q)) + "%"
}

// The range of times an int64 of nanoseconds can hold.
var (
	minTime = time.Unix(0, math.MinInt64)
	maxTime = time.Unix(0, math.MaxInt64)
)

// encTime returns t as Unix nanoseconds, or nil for the zero time. Times
// outside the years 1678–2262 are clamped to that range.
func encTime(t time.Time) any {
	switch {
	case t.IsZero():
		return nil
	case t.Before(minTime):
		return int64(math.MinInt64)
	case t.After(maxTime):
		return int64(math.MaxInt64)
	}
	return t.UnixNano()
}

// decTime is the inverse of encTime; times are returned in UTC.
func decTime(n sql.NullInt64) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return time.Unix(0, n.Int64).UTC()
}

// encStrings returns a JSON array of the cleaned strings; nil and empty
// slices both become "[]".
func encStrings(ss []string) string {
	c := make([]string, len(ss))
	for i, s := range ss {
		c[i] = clean(s)
	}
	b, _ := json.Marshal(c) // cannot fail for []string
	return string(b)
}

// decStrings is the inverse of encStrings; an empty array becomes nil.
func decStrings(s string) ([]string, error) {
	var ss []string
	if err := json.Unmarshal([]byte(s), &ss); err != nil {
		return nil, err
	}
	if len(ss) == 0 {
		return nil, nil
	}
	return ss, nil
}
