package secrets

// NewUnwindowed returns a scanner that runs every rule on each text whole,
// as the gitleaks CLI does: the reference the windowed scanner must agree
// with.
func NewUnwindowed(c Config) (*Scanner, error) { return build(c, false) }

// NewlineSpan is newlineSpan.
var NewlineSpan = newlineSpan
