package macapp

import (
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
)

// TestObjectiveCParses checks system_darwin.m off macOS: clang parses and
// type-checks it under ARC for both Mac architectures against
// testdata/sdkstubs, hand-written declarations of exactly the AppKit,
// UserNotifications, dispatch and objc-runtime calls it makes (with their
// SDK signatures and availability). It catches syntax, ARC and signature
// mistakes before the release workflow's macOS runner compiles it against
// Apple's SDK; it cannot prove AppKit's behaviour. Skipped without clang.
func TestObjectiveCParses(t *testing.T) {
	if runtime.GOOS == "darwin" {
		t.Skip("on macOS the package's own cgo build compiles system_darwin.m against Apple's SDK")
	}
	clang, err := exec.LookPath("clang")
	if err != nil {
		t.Skip("clang not installed (apt-get install clang); the macOS runner compiles system_darwin.m for real")
	}
	stubs, err := filepath.Abs(filepath.Join("testdata", "sdkstubs"))
	if err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"arm64-apple-macos12", "x86_64-apple-macos12"} {
		t.Run(target, func(t *testing.T) {
			out, err := exec.Command(clang, "-target", target, "-x", "objective-c", "-fobjc-arc", "-fblocks",
				"-fsyntax-only", "-nostdinc", "-isystem", stubs, "-Wall", "-Wextra", "-Wno-unused-parameter",
				"-Wunguarded-availability", "-Werror", "system_darwin.m").CombinedOutput()
			if err != nil {
				t.Fatalf("clang: %v\n%s", err, out)
			}
		})
	}
}
