// Command mkapp assembles AuditLight.app for macOS from an already built
// (universal or single-architecture) executable: Contents/Info.plist with
// the bundle ID, name and version from FyneApp.toml, Contents/PkgInfo,
// Contents/MacOS/<exe> and Contents/Resources/<name>.icns made from the PNG
// app icon. It is pure Go, so it runs (and is tested) on Linux too; signing,
// notarization and the .dmg are macOS-only steps in scripts/macos.sh.
//
//	go run ./packaging/macos/mkapp -exe build/macos/auditlight -icon assets/icons/app-256.png \
//	    -id io.github.auditlight.auditlight -name AuditLight -version 0.1.0 -build 1 -out build/macos
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	var s Spec
	flag.StringVar(&s.Exe, "exe", "", "the darwin executable to put in Contents/MacOS")
	flag.StringVar(&s.Icon, "icon", "assets/icons/app-256.png", "the square PNG app icon (256 px or more)")
	flag.StringVar(&s.ID, "id", "", "bundle identifier (FyneApp.toml [Details] ID)")
	flag.StringVar(&s.Name, "name", "", "application name (FyneApp.toml [Details] Name)")
	flag.StringVar(&s.Version, "version", "", "MAJOR.MINOR.PATCH (FyneApp.toml [Details] Version)")
	flag.StringVar(&s.Build, "build", "", "build number (FyneApp.toml [Details] Build)")
	flag.StringVar(&s.MinOS, "min-macos", "12.0", "LSMinimumSystemVersion (Go 1.26 binaries need macOS 12)")
	out := flag.String("out", "build/macos", "directory that receives NAME.app (an existing bundle is replaced)")
	flag.Parse()
	app, err := Assemble(s, *out)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mkapp:", err)
		os.Exit(1)
	}
	fmt.Println(app)
}
