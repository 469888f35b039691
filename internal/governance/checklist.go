package governance

// Status is an item's answer.
type Status string

// The statuses of a checklist item.
const (
	// Pass and Fail: the catalogue answered the item.
	Pass Status = "pass"
	Fail Status = "fail"
	// Warn: answered, worth a reviewer's look, not blocking.
	Warn Status = "warn"
	// NotChecked: the catalogue could not answer (offline, no data).
	NotChecked Status = "not-checked"
	// Evaluating: the catalogue's answer is being worked out (a request
	// is filed at once and its automatic items are evaluated in the
	// background); a request with such an item cannot be approved.
	Evaluating Status = "evaluating"
	// Open: a question for the requester, not answered yet; Answered: the
	// requester answered it (Value holds the answer).
	Open     Status = "open"
	Answered Status = "answered"
)

// Item is one line of a checklist.
type Item struct {
	// ID names the item in configuration and in the fast path ("license",
	// "secrets", "q:business-case").
	ID    string `json:"id"`
	Title string `json:"title"`
	// Auto marks an item the catalogue answers; the others are questions.
	Auto   bool   `json:"auto"`
	Status Status `json:"status"`
	// Value is the short answer ("Apache-2.0", "3 secrets", "yes").
	Value string `json:"value,omitempty"`
	// Evidence lists what the answer rests on (paths with line numbers,
	// package URLs, advisory ids), at Commit.
	Evidence []string `json:"evidence,omitempty"`
	// Commit is the commit the item was evaluated on ("" for a question).
	Commit string `json:"commit,omitempty"`
}

// The automatic items, by ID.
const (
	ItemLicense        = "license"
	ItemLicenseHeaders = "license-headers"
	ItemNotice         = "notice"
	ItemDepLicenses    = "dependency-licenses"
	ItemVulns          = "vulnerabilities"
	ItemSecrets        = "secrets"
	ItemInternalRefs   = "internal-references"
	ItemOwners         = "owners"
	ItemSecurityMD     = "security-policy"
	ItemContributing   = "contributing"
	ItemCodeOfConduct  = "code-of-conduct"
	ItemScorecard      = "scorecard"
	ItemCryptography   = "cryptography"
	ItemRegistryNames  = "registry-names"
)

// Question is a checklist item the requester answers.
type Question struct {
	ID    string `yaml:"id" json:"id"`
	Title string `yaml:"title" json:"title"`
}

// DefaultQuestions are the questions of each kind when configuration names none.
var DefaultQuestions = map[Kind][]Question{
	KindOpenSource: {
		{ID: "business-case", Title: "Business case: why open-source it, who maintains it"},
		{ID: "trademark", Title: "Trademark search of the name done (yes/no, reference)"},
		{ID: "telemetry", Title: "Does it send telemetry? (yes/no)"},
		{ID: "data", Title: "Does it hold or process customer or personal data? (yes/no)"},
	},
	KindContribute: {
		{ID: "purpose", Title: "What will be contributed and why"},
		{ID: "confidential", Title: "Does the contribution reveal anything confidential? (yes/no)"},
	},
	KindException: {
		{ID: "mitigation", Title: "Mitigation while the exception lasts"},
	},
	KindLifecycle: {
		{ID: "plan", Title: "Plan: who is told, what happens to users"},
	},
}

// QuestionItems returns the questions as open checklist items, answered
// from answers where the requester already gave one.
func QuestionItems(qs []Question, answers map[string]string) []Item {
	out := make([]Item, 0, len(qs))
	for _, q := range qs {
		it := Item{ID: "q:" + q.ID, Title: q.Title, Status: Open}
		if v, ok := answers[q.ID]; ok && v != "" {
			it.Status, it.Value = Answered, v
		}
		out = append(out, it)
	}
	return out
}

// essential are the automatic items a fast path cannot do without: not
// checked, they block it as a failure does.
var essential = map[string]bool{ItemLicense: true, ItemDepLicenses: true, ItemVulns: true, ItemSecrets: true,
	ItemInternalRefs: true, ItemCryptography: true}

// AutoPassed reports whether the automatic items allow a fast path: none
// failed, warns or is still evaluating, and every essential one (licence, dependency licences,
// vulnerabilities, secrets, internal references, cryptography) passed.
func AutoPassed(items []Item) bool {
	for _, it := range items {
		if !it.Auto {
			continue
		}
		if it.Status == Fail || it.Status == Warn || it.Status == Evaluating || (essential[it.ID] && it.Status != Pass) {
			return false
		}
	}
	return true
}

// Changed returns the IDs of the automatic items whose status or value
// differ between old and new (an item present in one only counts), in the
// order of new then old.
func Changed(old, new []Item) []string {
	index := func(items []Item) map[string]Item {
		m := map[string]Item{}
		for _, it := range items {
			if it.Auto {
				m[it.ID] = it
			}
		}
		return m
	}
	o, n := index(old), index(new)
	var out []string
	for _, it := range new {
		if !it.Auto {
			continue
		}
		if was, ok := o[it.ID]; !ok || was.Status != it.Status || was.Value != it.Value {
			out = append(out, it.ID)
		}
	}
	for _, it := range old {
		if _, ok := n[it.ID]; it.Auto && !ok {
			out = append(out, it.ID)
		}
	}
	return out
}

// Evaluating reports whether any of r's automatic items is still being
// evaluated.
func (r *Request) Evaluating() bool {
	for _, it := range r.Checklist {
		if it.Auto && it.Status == Evaluating {
			return true
		}
	}
	return false
}
