package repometa

import (
	"context"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/ospo-project/ospo/internal/catalog"
	"github.com/ospo-project/ospo/internal/repofs"
)

func TestExtractScorecardFacts(t *testing.T) {
	tree := repofs.MemTree{
		"README.md":                     "# svc\n\nA service.\n\n## Getting started\n\nrun it\n\nUsage\n-----\n\nsvc --help\n",
		".env":                          "TOKEN=x",
		".env.example":                  "TOKEN=",
		"deploy/tls/server.key":         "-----BEGIN PRIVATE KEY-----",
		"config/credentials.json":       "{}",
		"vendor/x/id_rsa":               "key", // vendored: not ours
		"lib/tool.jar":                  "PK",
		"build/app.exe":                 "MZ",
		"src/app.py":                    "print(1)",
		"deploy/k8s/deployment.yaml":    "kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - name: a\n          readinessProbe:\n            httpGet: {path: /healthz}\n",
		"config/settings.yaml":          "livenessProbe: not a manifest dir",
		"node_modules/k8s/probe.yaml":   "livenessProbe:",
		"charts/svc/templates/svc.yaml": "kind: Service",
	}
	var p catalog.Project
	p.AddFacts(Extract(context.Background(), tree))
	var got []catalog.FileFact
	for _, f := range p.Files {
		switch f.Kind {
		case catalog.FileSecretLike, catalog.FileBinaryArtifact, catalog.FileHealthProbe, catalog.FileReadmeSection, catalog.FileReadmeSize:
			got = append(got, f)
		}
	}
	want := []catalog.FileFact{
		{Kind: catalog.FileSecretLike, Path: ".env"},
		{Kind: catalog.FileSecretLike, Path: "config/credentials.json"},
		{Kind: catalog.FileSecretLike, Path: "deploy/tls/server.key"},
		{Kind: catalog.FileBinaryArtifact, Path: "build/app.exe"},
		{Kind: catalog.FileBinaryArtifact, Path: "lib/tool.jar"},
		{Kind: catalog.FileHealthProbe, Path: "deploy/k8s/deployment.yaml"},
		{Kind: catalog.FileReadmeSize, Path: "71"},
		{Kind: catalog.FileReadmeSection, Path: "install"},
		{Kind: catalog.FileReadmeSection, Path: "usage"},
	}
	sortFacts := cmpopts.SortSlices(func(a, b catalog.FileFact) bool { return a.Kind+a.Path < b.Kind+b.Path })
	if diff := cmp.Diff(want, got, sortFacts); diff != "" {
		t.Errorf("scorecard facts (-want +got):\n%s", diff)
	}
}
