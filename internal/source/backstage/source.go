package backstage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/sourcesync"
)

// MaxResponse is the largest catalogue response read (256 MiB): a firm's
// whole Backstage catalogue, tens of thousands of entities, fits.
const MaxResponse = 256 << 20

// importKinds are the kinds kept from a Backstage catalogue.
var importKinds = map[string]bool{"component": true, "system": true, "api": true, "group": true, "user": true}

// Source imports the entities of a Backstage instance. The zero value is
// not usable; fill in every field but Token and Client.
type Source struct {
	// Name is the source's name in the configuration.
	Name string
	// BaseURL is the Backstage instance, e.g. https://backstage.example.com.
	BaseURL string
	// Token, if set, is sent as a bearer token.
	Token string
	// Client sends the requests; nil means http.DefaultClient.
	Client *http.Client
}

var _ sourcesync.Source = (*Source)(nil)

// Sync implements sourcesync.Source: it reads /api/catalog/entities (with
// If-None-Match, so an unchanged catalogue is not read again), keeps the
// Component, System, API, Group and User entities and replaces what the
// source imported before with them, in one transaction.
func (s *Source) Sync(ctx context.Context, prev catalog.SourceState, sink sourcesync.Sink) (sourcesync.Outcome, error) {
	out := sourcesync.Outcome{Cursor: map[string]string{}}
	u, err := url.JoinPath(s.BaseURL, "api/catalog/entities")
	if err != nil {
		return out, fmt.Errorf("backstage url: %w", err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return out, err
	}
	req.Header.Set("Accept", "application/json")
	if s.Token != "" {
		req.Header.Set("Authorization", "Bearer "+s.Token)
	}
	if et := prev.Cursor["entities"]; et != "" {
		req.Header.Set("If-None-Match", et)
	}
	client := s.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	out.Requests++
	if err != nil {
		return out, fmt.Errorf("GET %s: %w", u, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotModified {
		out.NotModified++
		out.Cursor["entities"] = prev.Cursor["entities"]
		out.Summary = "catalogue unchanged"
		return out, nil
	}
	if resp.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return out, fmt.Errorf("GET %s: %s: %s", u, resp.Status, strings.TrimSpace(string(body)))
	}
	ents, err := Decode(io.LimitReader(resp.Body, MaxResponse+1), s.Name)
	if err != nil {
		return out, fmt.Errorf("GET %s: %w", u, err)
	}
	if err := sink.ReplaceEntities(ctx, s.Name, ents); err != nil {
		return out, err
	}
	if et := resp.Header.Get("ETag"); et != "" {
		out.Cursor["entities"] = et
	}
	out.Summary = fmt.Sprintf("%d entities", len(ents))
	return out, nil
}

// Decode reads a JSON array of Backstage entities (the body of
// /api/catalog/entities) and returns the Components, Systems, APIs, Groups
// and Users among them as facts of source. An entity without kind or name
// is an error, as is malformed JSON: a source that answers garbage must
// not replace good data.
func Decode(r io.Reader, source string) ([]catalog.Entity, error) {
	var raw []json.RawMessage
	dec := json.NewDecoder(r)
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("decode entities: %w", err)
	}
	var out []catalog.Entity
	for i, doc := range raw {
		e, err := FromDocument(doc, source)
		if err != nil {
			return nil, fmt.Errorf("entity %d: %w", i, err)
		}
		if importKinds[strings.ToLower(e.Kind)] {
			out = append(out, e)
		}
	}
	return out, nil
}

// document is the part of an entity FromDocument reads.
type document struct {
	Kind     string `json:"kind"`
	Metadata struct {
		Name        string            `json:"name"`
		Namespace   string            `json:"namespace"`
		Title       string            `json:"title"`
		Description string            `json:"description"`
		Annotations map[string]string `json:"annotations"`
	} `json:"metadata"`
	Spec struct {
		Type      string   `json:"type"`
		Lifecycle string   `json:"lifecycle"`
		Owner     string   `json:"owner"`
		System    string   `json:"system"`
		MemberOf  []string `json:"memberOf"`
		Profile   struct {
			Email string `json:"email"`
		} `json:"profile"`
	} `json:"spec"`
}

// FromDocument reads one entity document (JSON) as a fact of source.
func FromDocument(doc []byte, source string) (catalog.Entity, error) {
	var d document
	if err := json.Unmarshal(doc, &d); err != nil {
		return catalog.Entity{}, err
	}
	if d.Kind == "" || d.Metadata.Name == "" {
		return catalog.Entity{}, errors.New("an entity without kind or metadata.name")
	}
	e := catalog.Entity{
		Source: source, Kind: d.Kind, Namespace: d.Metadata.Namespace, Name: d.Metadata.Name,
		Title: d.Metadata.Title, Description: d.Metadata.Description,
		Type: d.Spec.Type, Lifecycle: d.Spec.Lifecycle, Owner: d.Spec.Owner, System: d.Spec.System,
		MemberOf: d.Spec.MemberOf, Email: d.Spec.Profile.Email,
		ProjectKey: projectKey(d.Metadata.Annotations),
		Document:   string(doc),
	}
	if e.Namespace == "" {
		e.Namespace = "default"
	}
	return e, nil
}

// projectKey returns the catalogue key of the repository an entity's
// annotations name: github.com/project-slug, else the host and first two
// path segments of backstage.io/source-location (or managed-by-location).
func projectKey(ann map[string]string) string {
	if slug := ann[AnnotationProjectKey]; slug != "" {
		return slug
	}
	if slug := ann[AnnotationProjectSlug]; slug != "" && strings.Count(slug, "/") == 1 {
		return "github.com/" + strings.ToLower(slug)
	}
	for _, a := range []string{AnnotationSourceLocation, "backstage.io/managed-by-location"} {
		loc, ok := strings.CutPrefix(ann[a], "url:")
		if !ok {
			continue
		}
		u, err := url.Parse(loc)
		if err != nil || u.Host == "" {
			continue
		}
		parts := strings.Split(strings.Trim(u.Path, "/"), "/")
		if len(parts) < 2 {
			continue
		}
		return strings.ToLower(u.Host) + "/" + strings.ToLower(parts[0]) + "/" + strings.ToLower(strings.TrimSuffix(parts[1], ".git"))
	}
	return ""
}
