// Package quietinit runs before Istio's packages are initialised (Go initialises packages in
// import-path order once their imports are; "go.zonal.dev" sorts before "istio.io"). Istio's test
// environment package logs a warning to standard output at init when TARGET_OUT/LOCAL_OUT name no
// directory; answers on standard output must be JSON only, so point them at the temp directory.
package quietinit

import "os"

func init() {
	for _, v := range []string{"TARGET_OUT", "LOCAL_OUT"} {
		if os.Getenv(v) == "" {
			_ = os.Setenv(v, os.TempDir())
		}
	}
}
