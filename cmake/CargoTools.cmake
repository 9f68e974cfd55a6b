# Command-line tools from crates.io that the build runs (not links): installed with
# `cargo install --locked --version X` into a cache outside the clone, like the engine crates.
#
#   wasmhop_cargo_tool(<var> CRATE <crate> VERSION <x.y.z> BIN <name> [FEATURES <f>...])
#       <var>       the tool's absolute path (its file exists once target <var>_install has run)
#       <var>_TARGET the target that installs it; custom commands running the tool depend on it
#     The install directory is ~/.cache/wasmhop/tools/<crate>-<version>-<key>, <key> hashing the
#     features and `rustc -vV`: a fresh clone or worktree with a warm cache finds the binary there
#     and builds nothing. Default features are off: only FEATURES are built (shorter cold build).
#     Needs WASMHOP_HAVE_CARGO (cmake/EnginePlugin.cmake, included first).

# Script mode (run by the custom command below): install unless the binary is already there.
if(CMAKE_SCRIPT_MODE_FILE)
  if(NOT EXISTS ${EXE})
    set(features --no-default-features)
    if(FEATURES)
      list(APPEND features --features ${FEATURES})
    endif()
    execute_process(COMMAND ${CARGO} install --locked --quiet --version =${VERSION} ${features} --root ${ROOT} ${CRATE}
                    RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "cargo install ${CRATE} ${VERSION} failed (${rc})")
    endif()
  endif()
  file(TOUCH ${STAMP})
  return()
endif()

if(WASMHOP_CARGO_CACHE)
  get_filename_component(WASMHOP_TOOLS_ROOT ${WASMHOP_CARGO_CACHE}/../tools ABSOLUTE)
elseif(DEFINED ENV{XDG_CACHE_HOME})
  set(WASMHOP_TOOLS_ROOT $ENV{XDG_CACHE_HOME}/wasmhop/tools)
else()
  set(WASMHOP_TOOLS_ROOT $ENV{HOME}/.cache/wasmhop/tools)
endif()

function(wasmhop_cargo_tool var)
  cmake_parse_arguments(T "" "CRATE;VERSION;BIN" "FEATURES" ${ARGN})
  list(JOIN T_FEATURES "," features)
  string(SHA256 key "${T_VERSION}|${features}|${WASMHOP_RUSTC_VV}")
  string(SUBSTRING ${key} 0 16 key)
  set(root ${WASMHOP_TOOLS_ROOT}/${T_CRATE}-${T_VERSION}-${key})
  set(exe ${root}/bin/${T_BIN})
  # The output is a stamp in the build tree, never the cached binary itself (a `clean` would
  # delete it). The script installs only when the binary is missing: once it exists, from this
  # tree or any other with the same key, nothing is built. cargo's build directory is temporary.
  set(stamp ${CMAKE_BINARY_DIR}/tools/${T_CRATE}-${T_VERSION}-${key}.stamp)
  add_custom_command(OUTPUT ${stamp}
    COMMAND ${CMAKE_COMMAND} -DEXE=${exe} -DCARGO=${WASMHOP_CARGO} -DVERSION=${T_VERSION} -DROOT=${root}
            -DCRATE=${T_CRATE} -DFEATURES=${features} -DSTAMP=${stamp} -P ${CMAKE_CURRENT_FUNCTION_LIST_FILE}
    COMMENT "cargo install ${T_CRATE} ${T_VERSION} (into ${root}, unless there)"
    VERBATIM USES_TERMINAL)  # the console pool: never beside another cargo
  add_custom_target(${var}_install DEPENDS ${stamp})
  set(${var} ${exe} PARENT_SCOPE)
  set(${var}_TARGET ${var}_install PARENT_SCOPE)
endfunction()
