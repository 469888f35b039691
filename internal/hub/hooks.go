package hub

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/ospo-project/ospo/internal/catalog"
)

// GitHubHookRoute is the route GitHub webhooks are delivered to.
const GitHubHookRoute = "POST /hooks/github"

// GitLabHookRoute is the route GitLab webhooks are delivered to.
const GitLabHookRoute = "POST /hooks/gitlab"

// signedRoutes authenticate their requests themselves (an HMAC signature
// of the body, GitLab's secret token, the inbox feed's token in the query),
// not with a session; no CSRF token applies (they change nothing or are
// not browser requests).
var signedRoutes = map[string]bool{GitHubHookRoute: true, GitLabHookRoute: true, InboxFeedRoute: true}

// maxHookBody is the largest delivery read; GitHub caps payloads at 25 MB
// but the events ospo reads (push, pull_request, issues, release …) are
// far smaller, and the hub reads at most 1 MiB of any body.
const maxHookBody = 1 << 20

// WithGitHubWebhooks turns on POST /hooks/github. secrets maps the name of
// each GitHub source to its webhook secret: a delivery is accepted when its
// X-Hub-Signature-256 is the HMAC-SHA256 of its body under one of them, and
// the repository it names is queued, once, for that source's next sync.
func WithGitHubWebhooks(secrets map[string]string) Option {
	return func(o *options) { o.hooks = secrets }
}

// githubHook verifies a delivery's signature, answers 202 at once and queues
// one refresh of the repository it names (a repository already waiting is
// not queued again).
func (s *Server) githubHook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxHookBody+1))
	if err != nil || len(body) > maxHookBody {
		writeJSONError(w, http.StatusRequestEntityTooLarge, "payload too large or unreadable")
		return
	}
	source := s.hookSource(body, r.Header.Get("X-Hub-Signature-256"))
	if source == "" {
		s.log.Warn("webhook refused: signature does not match", "event", r.Header.Get("X-GitHub-Event"))
		writeJSONError(w, http.StatusUnauthorized, "signature missing or not valid")
		return
	}
	event := r.Header.Get("X-GitHub-Event")
	var payload struct {
		Repository *struct {
			ID       int64  `json:"id"`
			FullName string `json:"full_name"`
		} `json:"repository"`
	}
	if err := json.Unmarshal(body, &payload); err != nil {
		writeJSONError(w, http.StatusBadRequest, "payload is not JSON")
		return
	}
	status := "ignored"
	if event != "ping" && payload.Repository != nil && payload.Repository.ID != 0 && payload.Repository.FullName != "" {
		queued, err := s.st.RequestRefresh(r.Context(), catalog.Refresh{Source: source, ID: payload.Repository.ID,
			FullName: payload.Repository.FullName, Event: event, RequestedAt: time.Now().UTC()})
		if err != nil {
			s.log.Error("webhook: queue refresh", "source", source, "err", err)
			writeJSONError(w, http.StatusInternalServerError, "internal error")
			return
		}
		status = "already queued"
		if queued {
			status = "queued"
		}
	}
	s.accepted(w, source, status)
}

// accepted answers 202 with what became of a delivery.
func (s *Server) accepted(w http.ResponseWriter, source, status string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusAccepted)
	json.NewEncoder(w).Encode(map[string]string{"source": source, "status": status})
}

// WithGitLabWebhooks turns on POST /hooks/gitlab. secrets maps the name of
// each GitLab source to its webhook secret token: a delivery is accepted
// when its X-Gitlab-Token is one of them (GitLab sends the token itself,
// not a signature), and the project it names is queued, once, for that
// source's next sync.
func WithGitLabWebhooks(secrets map[string]string) Option {
	return func(o *options) { o.labHooks = secrets }
}

// gitlabHook checks a delivery's token, answers 202 at once and queues one
// refresh of the project it names. Push and tag-push events are queued as
// "push", so the next sync fetches the project's mirror.
func (s *Server) gitlabHook(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxHookBody+1))
	if err != nil || len(body) > maxHookBody {
		writeJSONError(w, http.StatusRequestEntityTooLarge, "payload too large or unreadable")
		return
	}
	source := tokenSource(s.labHooks, r.Header.Get("X-Gitlab-Token"))
	if source == "" {
		s.log.Warn("webhook refused: token does not match", "event", r.Header.Get("X-Gitlab-Event"))
		writeJSONError(w, http.StatusUnauthorized, "token missing or not valid")
		return
	}
	var payload struct {
		ObjectKind string `json:"object_kind"`
		ProjectID  int64  `json:"project_id"`
		Project    *struct {
			ID                int64  `json:"id"`
			PathWithNamespace string `json:"path_with_namespace"`
		} `json:"project"`
	}
	if err := json.Unmarshal(body, &payload); err != nil {
		writeJSONError(w, http.StatusBadRequest, "payload is not JSON")
		return
	}
	status := "ignored"
	if p := payload.Project; p != nil && p.PathWithNamespace != "" {
		id := p.ID
		if id == 0 {
			id = payload.ProjectID // push events name it at the top level
		}
		event := payload.ObjectKind
		if event == "tag_push" {
			event = "push"
		}
		if id != 0 {
			queued, err := s.st.RequestRefresh(r.Context(), catalog.Refresh{Source: source, ID: id,
				FullName: p.PathWithNamespace, Event: event, RequestedAt: time.Now().UTC()})
			if err != nil {
				s.log.Error("webhook: queue refresh", "source", source, "err", err)
				writeJSONError(w, http.StatusInternalServerError, "internal error")
				return
			}
			status = "already queued"
			if queued {
				status = "queued"
			}
		}
	}
	s.accepted(w, source, status)
}

// tokenSource returns the source whose secret is token, or "" if none is.
// Every secret is compared, in constant time, so the answer's timing does
// not tell how much of a guess was right.
func tokenSource(secrets map[string]string, token string) string {
	if token == "" {
		return ""
	}
	names := make([]string, 0, len(secrets))
	for n := range secrets {
		names = append(names, n)
	}
	slices.Sort(names)
	found := ""
	for _, n := range names {
		if subtle.ConstantTimeCompare([]byte(secrets[n]), []byte(token)) == 1 && found == "" {
			found = n
		}
	}
	return found
}

// hookSource returns the source whose secret signs body as sig says
// ("sha256=<hex>"), or "" if none does. Sources are tried in name order and
// compared in constant time.
func (s *Server) hookSource(body []byte, sig string) string {
	hexSum, ok := strings.CutPrefix(sig, "sha256=")
	if !ok {
		return ""
	}
	got, err := hex.DecodeString(hexSum)
	if err != nil || len(got) != sha256.Size {
		return ""
	}
	names := make([]string, 0, len(s.hooks))
	for n := range s.hooks {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		mac := hmac.New(sha256.New, []byte(s.hooks[n]))
		mac.Write(body)
		if hmac.Equal(mac.Sum(nil), got) {
			return n
		}
	}
	return ""
}
