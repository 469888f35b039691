// OSPO: this file is new (see ../OSPO-CHANGES.md). It replaces the use of
// github.com/spf13/viper in this copy: viper links about 37 packages
// (encoders for YAML, HCL, INI, dotenv, Java properties, afero, fsnotify, ...)
// that every ospo command initialised, and gitleaks only reads TOML with it.

package config

import (
	"fmt"
	"strings"

	"github.com/mitchellh/mapstructure"
	"github.com/pelletier/go-toml/v2"
)

// DecodeTOML decodes a gitleaks configuration in TOML into vc exactly as
//
//	v := viper.New(); v.SetConfigType("toml"); v.ReadConfig(strings.NewReader(data)); v.Unmarshal(vc)
//
// does with viper v1.19.0: the document is read by go-toml v2 into a map,
// its keys are lower-cased (in nested tables and arrays too), the map is
// flattened into dotted keys and rebuilt (empty tables vanish, a dotted key
// becomes nested tables), and mapstructure decodes it with weakly typed
// input and viper's hooks (string to time.Duration, comma-separated string
// to slice). A syntax error reads as viper's: "While parsing config: ...".
func DecodeTOML(data string, vc *ViperConfig) error {
	m := map[string]any{}
	if err := toml.Unmarshal([]byte(data), &m); err != nil {
		return fmt.Errorf("While parsing config: %w", err)
	}
	lowerKeys(m)
	leaves := map[string]any{}
	flatten(leaves, m, "")
	settings := map[string]any{}
	for k, v := range leaves {
		if v == nil {
			continue
		}
		path := strings.Split(k, ".")
		deepest := deepSearch(settings, path[:len(path)-1])
		deepest[strings.ToLower(path[len(path)-1])] = v
	}
	dec, err := mapstructure.NewDecoder(&mapstructure.DecoderConfig{
		Result:           vc,
		WeaklyTypedInput: true,
		DecodeHook: mapstructure.ComposeDecodeHookFunc(
			mapstructure.StringToTimeDurationHookFunc(),
			mapstructure.StringToSliceHookFunc(","),
		),
	})
	if err != nil {
		return err
	}
	return dec.Decode(settings)
}

// lowerKeys is viper's insensitiviseMap.
func lowerKeys(m map[string]any) {
	for k, v := range m {
		v = lowerVal(v)
		lower := strings.ToLower(k)
		if k != lower {
			delete(m, k)
		}
		m[lower] = v
	}
}

func lowerVal(v any) any {
	switch v := v.(type) {
	case map[string]any:
		lowerKeys(v)
	case []any:
		for i, e := range v {
			v[i] = lowerVal(e)
		}
	}
	return v
}

// flatten is viper's flattenAndMergeMap over the configuration alone, with
// each key's value (what viper's Get returns for the types TOML yields).
func flatten(out, m map[string]any, prefix string) {
	if prefix != "" {
		prefix += "."
	}
	for k, v := range m {
		full := prefix + k
		if sub, ok := v.(map[string]any); ok {
			flatten(out, sub, full)
			continue
		}
		out[strings.ToLower(full)] = v
	}
}

// deepSearch is viper's deepSearch.
func deepSearch(m map[string]any, path []string) map[string]any {
	for _, k := range path {
		m2, ok := m[k]
		if !ok {
			m3 := map[string]any{}
			m[k] = m3
			m = m3
			continue
		}
		m3, ok := m2.(map[string]any)
		if !ok {
			m3 = map[string]any{}
			m[k] = m3
		}
		m = m3
	}
	return m
}
