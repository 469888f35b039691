package estate

import "time"

// SetClock sets the catalogue's clock, for the external tests.
func (c *Catalog) SetClock(now func() time.Time) { c.now = now }
