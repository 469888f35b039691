package jenkins

// JobURL exposes jobURL to the tests.
func JobURL(s *Source, full, given string) string { return s.jobURL(full, given) }
