package repometa

import (
	"bytes"
	"encoding/json"
	"errors"
)

// maxInnerSourceOwners caps the owners read from innersource.json.
const maxInnerSourceOwners = 100

// InnerSource is the part of an innersource.json file (the SAP InnerSource
// portal format: title, motivation, contributions, skills, docs, logo,
// language, plus the description, topics and owner fields some portals add)
// that ospo reads.
type InnerSource struct {
	Title         string   `json:"title"`
	Description   string   `json:"description"`
	Motivation    string   `json:"motivation"`
	Contributions []string `json:"contributions"`
	Skills        []string `json:"skills"`
	Topics        []string `json:"topics"`
	Docs          string   `json:"docs"`
	Logo          string   `json:"logo"`
	Language      string   `json:"language"`
	// Owners are the names or e-mail addresses found in "owner", "owners" and
	// "maintainers", each of which may be a string, an object with a
	// github, login, username, email or name field, or a list of those.
	Owners []string `json:"-"`
}

// ParseInnerSource reads an innersource.json file. It returns an error if
// the file is not a JSON object; a field of the wrong type is reported as an
// error too, with every other field still decoded.
func ParseInnerSource(content []byte) (*InnerSource, error) {
	content = bytes.TrimPrefix(content, []byte("\xef\xbb\xbf"))
	if t := bytes.TrimSpace(content); len(t) > 0 && t[0] != '{' {
		return nil, errors.New("not a JSON object")
	}
	var doc struct {
		InnerSource
		Owner       json.RawMessage `json:"owner"`
		OwnersRaw   json.RawMessage `json:"owners"`
		Maintainers json.RawMessage `json:"maintainers"`
	}
	err := json.Unmarshal(content, &doc)
	var te *json.UnmarshalTypeError
	if err != nil && !errors.As(err, &te) {
		return nil, err
	}
	is := doc.InnerSource
	for _, raw := range []json.RawMessage{doc.Owner, doc.OwnersRaw, doc.Maintainers} {
		is.Owners = appendOwners(is.Owners, raw, 0)
	}
	if err != nil {
		return &is, err
	}
	return &is, nil
}

// appendOwners adds the owners held by raw (a string, an object or a list)
// to list.
func appendOwners(list []string, raw json.RawMessage, depth int) []string {
	if len(raw) == 0 || depth > 2 || len(list) >= maxInnerSourceOwners {
		return list
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		if s = field(s, maxOwner); s != "" {
			list = append(list, s)
		}
		return list
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(raw, &obj) == nil {
		for _, k := range []string{"github", "login", "username", "email", "name"} {
			if json.Unmarshal(obj[k], &s) == nil {
				if s = field(s, maxOwner); s != "" {
					return append(list, s)
				}
			}
		}
		return list
	}
	var arr []json.RawMessage
	if json.Unmarshal(raw, &arr) == nil {
		for _, item := range arr {
			list = appendOwners(list, item, depth+1)
		}
	}
	return list
}
