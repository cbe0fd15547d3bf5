# The web dashboard (web/dashboard): TypeScript bundled by esbuild, built into the build tree and
# embedded in the binary with web/static (src/CMakeLists.txt). Node.js and npm are needed to
# build, never to run. `npm ci` runs once per lock file (stamped), into the build tree; the bundle
# is rebuilt when a source changes, after `tsc --noEmit` type-checks it.
#   VOUCH_DASHBOARD_DIR  the bundle folder (index.html, app.<hash>.js, app.<hash>.css)
#   VOUCH_DASHBOARD_STAMP  the file the bundle step writes last (a dependency for the embedding)
#   VOUCH_NODE_MODULES  the node_modules the build installed (the browser tests use playwright-core)
set(dash_src ${PROJECT_SOURCE_DIR}/web/dashboard)
set(dash_bin ${PROJECT_BINARY_DIR}/web/dashboard)
find_program(VOUCH_NODE NAMES node nodejs REQUIRED)
find_program(VOUCH_NPM NAMES npm REQUIRED)
set(VOUCH_NODE_MODULES ${dash_bin}/node_modules)
set(VOUCH_DASHBOARD_DIR ${dash_bin}/dist)
set(VOUCH_DASHBOARD_STAMP ${dash_bin}/bundle.stamp)

configure_file(${dash_src}/package.json ${dash_bin}/package.json COPYONLY)
configure_file(${dash_src}/package-lock.json ${dash_bin}/package-lock.json COPYONLY)
# tsc type-checks the sources in the source tree against the packages in the build tree.
file(WRITE ${dash_bin}/tsconfig.json.in "{
  \"extends\": \"${dash_src}/tsconfig.json\",
  \"compilerOptions\": {\"baseUrl\": \".\", \"paths\": {\"*\": [\"./node_modules/*\"]}, \"typeRoots\": [\"./node_modules/@types\"]},
  \"include\": [\"${dash_src}/src\"]
}
")
configure_file(${dash_bin}/tsconfig.json.in ${dash_bin}/tsconfig.json COPYONLY)

# Install scripts are not run: esbuild finds its binary in its platform package without them.
add_custom_command(
  OUTPUT ${dash_bin}/npm-ci.stamp
  COMMAND ${VOUCH_NPM} ci --ignore-scripts --no-audit --no-fund --loglevel=error
  COMMAND ${CMAKE_COMMAND} -E touch ${dash_bin}/npm-ci.stamp
  DEPENDS ${dash_src}/package-lock.json ${dash_src}/package.json
  WORKING_DIRECTORY ${dash_bin}
  COMMENT "npm ci (web/dashboard)"
  VERBATIM)

file(GLOB_RECURSE dash_sources CONFIGURE_DEPENDS ${dash_src}/src/*)
add_custom_command(
  OUTPUT ${VOUCH_DASHBOARD_STAMP}
  COMMAND ${VOUCH_NODE} ${VOUCH_NODE_MODULES}/typescript/bin/tsc --noEmit -p ${dash_bin}/tsconfig.json
  COMMAND ${VOUCH_NODE} ${dash_src}/build.mjs --out ${VOUCH_DASHBOARD_DIR} --node-modules ${VOUCH_NODE_MODULES}
  COMMAND ${CMAKE_COMMAND} -E touch ${VOUCH_DASHBOARD_STAMP}
  DEPENDS ${dash_sources} ${dash_src}/build.mjs ${dash_src}/index.html ${dash_src}/tsconfig.json
          ${dash_bin}/npm-ci.stamp
  WORKING_DIRECTORY ${dash_src}
  COMMENT "Type-checking and bundling the dashboard"
  VERBATIM)
add_custom_target(vouch_dashboard DEPENDS ${VOUCH_DASHBOARD_STAMP})
