# Engines that ship as plugins: a shared object of their own, loaded with dlopen(RTLD_LOCAL),
# exporting one symbol (src/engines/plugin/plugin_abi.h). Engine libraries that export the same
# wasm-c-api names (Wasmtime, Wasmer, WAMR, wasmi) and libnode (V8) then never bind to each other.
#
#   wasmhop_add_engine_plugin(<folder> SOURCES <files> [LIBRARIES <libs>])
#       builds wasmhop-engine-<folder>.so into WASMHOP_ENGINE_PLUGIN_DIR (and installs it)
#   wasmhop_engine_unavailable(<folder> "<reason>")
#       records why it was not built; `wasmhop engines` prints that reason
#   wasmhop_add_cargo_staticlib(<target> CRATE <dir> LIB <name> [FEATURES <f>...] [ENV <K=V>...])
#       builds a Rust crate (crate-type staticlib, Cargo.lock committed) with cargo --locked into a
#       target directory outside the clone, keyed by Cargo.lock, features, env and rustc; <target>
#       is an imported static library. Needs WASMHOP_HAVE_CARGO (else WASMHOP_CARGO_WHY_NOT says why).

set(WASMHOP_ENGINE_PLUGIN_DIR ${CMAKE_BINARY_DIR}/lib/wasmhop/engines)
file(MAKE_DIRECTORY ${WASMHOP_ENGINE_PLUGIN_DIR})
add_custom_target(wasmhop_engine_plugins)

function(wasmhop_add_engine_plugin folder)
  cmake_parse_arguments(P "" "" "SOURCES;LIBRARIES" ${ARGN})
  set(target wasmhop_engine_${folder})
  add_library(${target} MODULE ${P_SOURCES})
  set_target_properties(${target} PROPERTIES
    PREFIX "" OUTPUT_NAME wasmhop-engine-${folder}
    LIBRARY_OUTPUT_DIRECTORY ${WASMHOP_ENGINE_PLUGIN_DIR}
    C_VISIBILITY_PRESET hidden CXX_VISIBILITY_PRESET hidden VISIBILITY_INLINES_HIDDEN ON)
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/src ${PROJECT_SOURCE_DIR}/include)
  target_link_libraries(${target} PRIVATE ${P_LIBRARIES} Threads::Threads ${CMAKE_DL_LIBS} m)
  # Only the entry point is exported; the engine's own symbols (static libraries included) stay
  # local and bind inside the plugin.
  target_link_options(${target} PRIVATE
    -Wl,--version-script=${PROJECT_SOURCE_DIR}/src/engines/plugin/plugin.map
    -Wl,--exclude-libs,ALL -Wl,-Bsymbolic -Wl,--no-undefined)
  add_dependencies(wasmhop_engine_plugins ${target})
  file(REMOVE ${WASMHOP_ENGINE_PLUGIN_DIR}/wasmhop-engine-${folder}.unavailable)
  install(TARGETS ${target} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/wasmhop/engines)
endfunction()

function(wasmhop_engine_unavailable folder reason)
  message(WARNING "engine ${folder} not built: ${reason}")
  file(WRITE ${WASMHOP_ENGINE_PLUGIN_DIR}/wasmhop-engine-${folder}.unavailable "${reason}\n")
endfunction()

# --- cargo -------------------------------------------------------------------------------------
set(WASMHOP_RUST_MIN_VERSION 1.95)
set(WASMHOP_CARGO_CACHE "" CACHE PATH
  "Where cargo builds the engine crates (default: \$XDG_CACHE_HOME or ~/.cache, /wasmhop/cargo); safe to delete")
find_program(WASMHOP_CARGO cargo HINTS $ENV{HOME}/.cargo/bin)
find_program(WASMHOP_RUSTC rustc HINTS $ENV{HOME}/.cargo/bin)
set(WASMHOP_HAVE_CARGO OFF)
if(NOT WASMHOP_CARGO OR NOT WASMHOP_RUSTC)
  set(WASMHOP_CARGO_WHY_NOT "cargo/rustc not found (install Rust ${WASMHOP_RUST_MIN_VERSION} or newer)")
else()
  execute_process(COMMAND ${WASMHOP_RUSTC} -vV OUTPUT_VARIABLE WASMHOP_RUSTC_VV OUTPUT_STRIP_TRAILING_WHITESPACE)
  string(REGEX MATCH "release: ([0-9]+\\.[0-9]+(\\.[0-9]+)?)" _ "${WASMHOP_RUSTC_VV}")
  set(WASMHOP_RUSTC_VERSION "${CMAKE_MATCH_1}")
  if(WASMHOP_RUSTC_VERSION VERSION_LESS WASMHOP_RUST_MIN_VERSION)
    set(WASMHOP_CARGO_WHY_NOT
      "rustc ${WASMHOP_RUSTC_VERSION} is older than ${WASMHOP_RUST_MIN_VERSION} (the pinned engine crates need it)")
  else()
    set(WASMHOP_HAVE_CARGO ON)
  endif()
endif()
if(NOT WASMHOP_HAVE_CARGO)
  message(WARNING "${WASMHOP_CARGO_WHY_NOT}: the engines built with cargo are unavailable")
endif()
if(WASMHOP_CARGO_CACHE)
  set(_cargo_cache ${WASMHOP_CARGO_CACHE})
elseif(DEFINED ENV{XDG_CACHE_HOME})
  set(_cargo_cache $ENV{XDG_CACHE_HOME}/wasmhop/cargo)
else()
  set(_cargo_cache $ENV{HOME}/.cache/wasmhop/cargo)
endif()
set(WASMHOP_CARGO_TARGET_ROOT ${_cargo_cache} CACHE INTERNAL "")

find_program(WASMHOP_FLOCK flock)  # util-linux: takes the lock cargo takes on its build directory

function(wasmhop_add_cargo_staticlib target)
  cmake_parse_arguments(C "" "CRATE;LIB" "FEATURES;ENV" ${ARGN})
  get_filename_component(crate ${C_CRATE} ABSOLUTE)
  if(NOT EXISTS ${crate}/Cargo.lock)
    message(FATAL_ERROR "${crate}: Cargo.lock missing (commit it: builds are --locked)")
  endif()
  file(READ ${crate}/Cargo.lock lock)
  list(JOIN C_FEATURES "," features)
  string(SHA256 key "${lock}|${features}|${C_ENV}|${WASMHOP_RUSTC_VV}")
  string(SUBSTRING ${key} 0 16 key)
  set(target_dir ${WASMHOP_CARGO_TARGET_ROOT}/${C_LIB}-${key})
  set(lib ${target_dir}/release/lib${C_LIB}.a)
  set(feature_args)
  if(features)
    set(feature_args --features ${features})
  endif()
  # Cargo runs on every build (a no-op takes well under a second): the target directory is shared by
  # every clone and worktree with the same key, and another tree may have rebuilt the library there
  # from other sources, which no stamp of this tree would notice (cargo_owner.cmake makes cargo
  # rebuild the root crate then). The library is a byproduct, so what links it relinks only when
  # cargo changed it.
  # The check holds cargo's own lock on the build directory, so it never changes fingerprints under
  # another tree's running cargo.
  set(lock)
  if(WASMHOP_FLOCK)
    file(MAKE_DIRECTORY ${target_dir}/release)
    set(lock ${WASMHOP_FLOCK} ${target_dir}/release/.cargo-lock)
  endif()
  add_custom_target(${target}_cargo
    COMMAND ${lock} ${CMAKE_COMMAND} -DTARGET_DIR=${target_dir} -DCRATE=${crate} -DPACKAGE=${C_LIB}
            -P ${PROJECT_SOURCE_DIR}/cmake/cargo_owner.cmake
    COMMAND ${CMAKE_COMMAND} -E env ${C_ENV}
            ${WASMHOP_CARGO} build --release --locked --quiet
            --manifest-path ${crate}/Cargo.toml --target-dir ${target_dir} ${feature_args}
    BYPRODUCTS ${lib}
    COMMENT "cargo: ${C_LIB} (target dir ${target_dir})"
    USES_TERMINAL)  # the console pool: one cargo at a time, its own -j
  add_library(${target} STATIC IMPORTED GLOBAL)
  set_target_properties(${target} PROPERTIES IMPORTED_LOCATION ${lib})
  # What Rust's std needs from the C side.
  set_property(TARGET ${target} PROPERTY INTERFACE_LINK_LIBRARIES Threads::Threads ${CMAKE_DL_LIBS} m rt)
  add_dependencies(${target} ${target}_cargo)
endfunction()

# wasmhop_cargo_package_dir(<out> CRATE <dir> PACKAGE <name> [ARGS <cargo metadata args>])
#   Where cargo unpacked <name>, a locked dependency of the crate at <dir> (downloaded, not built):
#   for engines whose C sources come in a crate and are compiled by our CMake. Sets <out> to the
#   package's directory, or to "" and <out>_ERROR to why not. Re-runs when Cargo.lock changes.
function(wasmhop_cargo_package_dir out)
  cmake_parse_arguments(M "" "CRATE;PACKAGE" "ARGS" ${ARGN})
  set(${out} "" PARENT_SCOPE)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${M_CRATE}/Cargo.toml ${M_CRATE}/Cargo.lock)
  execute_process(
    COMMAND ${WASMHOP_CARGO} metadata --locked --format-version 1 ${M_ARGS} --manifest-path ${M_CRATE}/Cargo.toml
    OUTPUT_VARIABLE meta ERROR_VARIABLE meta_err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    string(STRIP "${meta_err}" meta_err)
    set(${out}_ERROR "cargo metadata failed: ${meta_err}" PARENT_SCOPE)
    return()
  endif()
  string(JSON n LENGTH "${meta}" packages)
  math(EXPR last "${n} - 1")
  foreach(k RANGE ${last})
    string(JSON name GET "${meta}" packages ${k} name)
    if(name STREQUAL M_PACKAGE)
      string(JSON manifest GET "${meta}" packages ${k} manifest_path)
      get_filename_component(dir ${manifest} DIRECTORY)
      set(${out} ${dir} PARENT_SCOPE)
      return()
    endif()
  endforeach()
  set(${out}_ERROR "${M_PACKAGE} missing from cargo metadata" PARENT_SCOPE)
endfunction()
