package artifactory

import "testing"

// TestPackageOf reads the repository layouts of each package type, as
// Artifactory stores them (paths of real packages), and refuses files that
// stand for no package version.
func TestPackageOf(t *testing.T) {
	for _, tc := range []struct {
		typ, dir, name string
		want           Ref // zero: not a package
	}{
		{"Maven", "org/apache/logging/log4j/log4j-core/2.14.1", "log4j-core-2.14.1.pom",
			Ref{"Maven", "org.apache.logging.log4j:log4j-core", "2.14.1", "pkg:maven/org.apache.logging.log4j/log4j-core"}},
		{"Maven", "org/apache/logging/log4j/log4j-core/2.14.1", "log4j-core-2.14.1.jar", Ref{}}, // the .pom stands for it
		{"Maven", "org/apache/logging/log4j/log4j-core/2.14.1", "log4j-core-2.14.1.pom.sha1", Ref{}},
		{"Maven", "org/apache/logging/log4j/log4j-core", "maven-metadata.xml", Ref{}},
		{"Maven", "com/acme/pay/1.2-SNAPSHOT", "pay-1.2-20240102.030405-7.pom",
			Ref{"Maven", "com.acme:pay", "1.2-SNAPSHOT", "pkg:maven/com.acme/pay"}},
		{"Maven", "org/jfrog/artifactory", "artifactory.war", Ref{}},
		{"Gradle", "org/jetbrains/kotlin/kotlin-stdlib/1.9.0", "kotlin-stdlib-1.9.0.pom",
			Ref{"Maven", "org.jetbrains.kotlin:kotlin-stdlib", "1.9.0", "pkg:maven/org.jetbrains.kotlin/kotlin-stdlib"}},
		{"Npm", "lodash/-", "lodash-4.17.21.tgz", Ref{"npm", "lodash", "4.17.21", "pkg:npm/lodash"}},
		{"Npm", "@types/node/-", "node-18.19.3.tgz", Ref{"npm", "@types/node", "18.19.3", "pkg:npm/%40types/node"}},
		{"Npm", ".npm/lodash", "package.json", Ref{}},
		{"Npm", "a/b/-", "b-1.0.0.tgz", Ref{}},
		{"Pypi", "packages/f9/9b/6d2b5d7b7c6c7a1b7d8b64c6b4b2a5d1e2c3a5f6b7c8d9e0f1a2b3c4d5e6f7a8", "requests-2.31.0-py3-none-any.whl",
			Ref{"PyPI", "requests", "2.31.0", "pkg:pypi/requests"}},
		{"Pypi", "packages/source/P/PyYAML", "PyYAML-6.0.1.tar.gz", Ref{"PyPI", "PyYAML", "6.0.1", "pkg:pypi/pyyaml"}},
		{"Pypi", ".pypi", "simple.html", Ref{}},
		{"Go", "github.com/!burnt!sushi/toml/@v", "v1.3.2.zip",
			Ref{"Go", "github.com/BurntSushi/toml", "v1.3.2", "pkg:golang/github.com/burntsushi/toml"}},
		{"Go", "github.com/!burnt!sushi/toml/@v", "v1.3.2.mod", Ref{}},
		{"Go", "github.com/!burnt!sushi/toml/@v", "list", Ref{}},
		{"Nuget", ".", "bootstrap.3.3.2.nupkg", Ref{"NuGet", "bootstrap", "3.3.2", "pkg:nuget/bootstrap"}},
		{"Nuget", "", "Newtonsoft.Json.13.0.3.nupkg", Ref{"NuGet", "Newtonsoft.Json", "13.0.3", "pkg:nuget/Newtonsoft.Json"}},
		{"Gems", "gems", "nokogiri-1.15.4-x86_64-linux.gem", Ref{"RubyGems", "nokogiri", "1.15.4", "pkg:gem/nokogiri"}},
		{"Gems", "gems", "aws-sdk-s3-1.136.0.gem", Ref{"RubyGems", "aws-sdk-s3", "1.136.0", "pkg:gem/aws-sdk-s3"}},
		{"Cargo", "crates/serde", "serde-1.0.188.crate", Ref{"crates.io", "serde", "1.0.188", "pkg:cargo/serde"}},
		{"Docker", "library/nginx/1.25", "manifest.json", Ref{}},
		{"Generic", "tools", "jq-1.7.tar.gz", Ref{}},
		{"", "lodash/-", "lodash-4.17.21.tgz", Ref{"npm", "lodash", "4.17.21", "pkg:npm/lodash"}},
		{"", "org/apache/struts/struts-master/9", "struts-master-9.pom",
			Ref{"Maven", "org.apache.struts:struts-master", "9", "pkg:maven/org.apache.struts/struts-master"}},
	} {
		got, ok := PackageOf(tc.typ, tc.dir, tc.name)
		if ok != (tc.want != Ref{}) || got != tc.want {
			t.Errorf("PackageOf(%q, %q, %q) = %+v, %v; want %+v", tc.typ, tc.dir, tc.name, got, ok, tc.want)
		}
	}
}

// TestDependencyOf reads the dependency and module ids build-info
// extractors write.
func TestDependencyOf(t *testing.T) {
	for _, tc := range []struct {
		typ, id string
		want    Ref
	}{
		{"maven", "org.springframework:spring-core:2.5.6", Ref{"Maven", "org.springframework:spring-core", "2.5.6", "pkg:maven/org.springframework/spring-core"}},
		{"gradle", "org.jfrog.test:multi1", Ref{"Maven", "org.jfrog.test:multi1", "", "pkg:maven/org.jfrog.test/multi1"}},
		{"go", "github.com/!cyclone!d!x/cyclonedx-go:v0.9.0", Ref{"Go", "github.com/CycloneDX/cyclonedx-go", "v0.9.0", "pkg:golang/github.com/cyclonedx/cyclonedx-go"}},
		{"go", "github.com/jfrog/build-info-go", Ref{"Go", "github.com/jfrog/build-info-go", "", "pkg:golang/github.com/jfrog/build-info-go"}},
		{"npm", "@angular/core:17.0.1", Ref{"npm", "@angular/core", "17.0.1", "pkg:npm/%40angular/core"}},
		{"pip", "PyYAML:6.0.1", Ref{"PyPI", "PyYAML", "6.0.1", "pkg:pypi/pyyaml"}},
		{"nuget", "Newtonsoft.Json:13.0.3", Ref{"NuGet", "Newtonsoft.Json", "13.0.3", "pkg:nuget/Newtonsoft.Json"}},
		{"docker", "nginx:1.25", Ref{}},
		{"maven", "junit", Ref{}},
	} {
		got, ok := DependencyOf(tc.typ, tc.id)
		if ok != (tc.want != Ref{}) || got != tc.want {
			t.Errorf("DependencyOf(%q, %q) = %+v, %v; want %+v", tc.typ, tc.id, got, ok, tc.want)
		}
	}
}
