package notify

// Preferences are how one person wants to be told. The zero value means
// e-mail for every topic, no webhook.
type Preferences struct {
	// NoEmail turns e-mail off.
	NoEmail bool `json:"no_email,omitempty"`
	// Webhook, when set, is a URL a JSON message is posted to as well
	// (a personal Slack or Teams incoming webhook, or any receiver).
	Webhook string `json:"webhook,omitempty"`
	// Format of the webhook's payload: FormatJSON (default), FormatSlack or
	// FormatTeams.
	Format string `json:"format,omitempty"`
	// Mute lists topics not to be told about ("request.decided",
	// "estate.review-due", "digest").
	Mute []string `json:"mute,omitempty"`
	// Digest, when "daily" or "weekly", asks for one digest rather than a
	// message per event (the digest is the inbox's to build).
	Digest string `json:"digest,omitempty"`
}

// Wants reports whether a message of topic should reach the person.
func (p Preferences) Wants(topic string) bool {
	for _, m := range p.Mute {
		if m == topic {
			return false
		}
	}
	return true
}
