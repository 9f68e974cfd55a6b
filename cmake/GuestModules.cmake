# Guest scripts: one C/C++ source set, built to wasm32-wasi (reactor) for the engines and to a
# native shared object for the native engine. Outputs land in ${WASMHOP_GUEST_DIR}:
#   <name>.wasm  and  <name>.native.so
find_program(WASMHOP_GUEST_CXX NAMES clang++ clang++-14 REQUIRED)
find_program(WASMHOP_WAT2WASM NAMES wat2wasm REQUIRED)
find_program(WASMHOP_GUEST_CC NAMES clang clang-14 REQUIRED)
set(WASMHOP_GUEST_DIR ${CMAKE_BINARY_DIR}/guests)
file(MAKE_DIRECTORY ${WASMHOP_GUEST_DIR})
set(WASMHOP_GUEST_INCLUDE ${PROJECT_SOURCE_DIR}/guest/include)

# Scripts are always optimized, whatever the host build (the paper builds its modules in Release).
# --stack-first puts the C stack (which grows down) below the data: a guest that overflows it
# traps at address -1 instead of silently overwriting its own globals (wasm-ld's default layout).
set(WASMHOP_GUEST_WASM_FLAGS
  --target=wasm32-wasi --sysroot=/usr -mexec-model=reactor -O2 -std=c++20
  -fno-exceptions -fno-rtti -Wall -Wextra -Wl,--stack-first)

add_custom_target(guests ALL)

# wasmhop_add_guest(<name> SOURCES <files...> [WASM_ONLY] [LINK_FLAGS <flags...>]
#                   [INCLUDES <dirs...>] [DEPENDS <files or targets...>])
# INCLUDES: extra include directories for both builds (e.g. ${WASMHOP_GUEST_FLATBUFFERS_INCLUDE});
# DEPENDS: files or targets (e.g. generated headers) both builds wait for.
function(wasmhop_add_guest name)
  cmake_parse_arguments(G "WASM_ONLY" "" "SOURCES;LINK_FLAGS;DEPENDS;INCLUDES" ${ARGN})
  set(srcs)
  foreach(s IN LISTS G_SOURCES)
    get_filename_component(abs ${s} ABSOLUTE)
    list(APPEND srcs ${abs})
  endforeach()
  set(extra_includes)
  # The wasm build is one clang command without a depfile: it depends on every header under the
  # SDK and under the include directories in the source tree (a superset, so an edited header
  # included from there always rebuilds the module).
  set(include_headers)
  foreach(dir IN LISTS G_INCLUDES)
    list(APPEND extra_includes -I${dir})
    cmake_path(IS_PREFIX PROJECT_SOURCE_DIR "${dir}" NORMALIZE in_source)
    cmake_path(IS_PREFIX PROJECT_BINARY_DIR "${dir}" NORMALIZE in_build)
    if(in_source AND NOT in_build)
      file(GLOB_RECURSE dir_headers CONFIGURE_DEPENDS ${dir}/*.hpp ${dir}/*.h)
      list(APPEND include_headers ${dir_headers})
    endif()
  endforeach()
  file(GLOB_RECURSE sdk_headers CONFIGURE_DEPENDS ${WASMHOP_GUEST_INCLUDE}/*.hpp)
  set(out ${WASMHOP_GUEST_DIR}/${name}.wasm)
  add_custom_command(
    OUTPUT ${out}
    COMMAND ${WASMHOP_GUEST_CXX} ${WASMHOP_GUEST_WASM_FLAGS} -I${WASMHOP_GUEST_INCLUDE}
            -I${WASMHOP_ABI_REGISTRY_INCLUDE} ${extra_includes}
            ${srcs} ${PROJECT_SOURCE_DIR}/guest/src/wasm_support.cpp ${G_LINK_FLAGS} -o ${out}
    DEPENDS ${srcs} ${PROJECT_SOURCE_DIR}/guest/src/wasm_support.cpp ${sdk_headers} ${include_headers}
            ${WASMHOP_ABI_GUEST_HEADERS} ${G_DEPENDS}
    COMMENT "guest ${name}.wasm"
    VERBATIM)
  add_custom_target(guest_${name}_wasm DEPENDS ${out})
  add_dependencies(guests guest_${name}_wasm)
  if(NOT G_WASM_ONLY)
    add_library(guest_${name}_native MODULE ${srcs} ${PROJECT_SOURCE_DIR}/guest/src/native_support.cpp)
    target_include_directories(guest_${name}_native PRIVATE ${WASMHOP_GUEST_INCLUDE} ${WASMHOP_ABI_REGISTRY_INCLUDE}
                               ${G_INCLUDES})
    foreach(dep IN LISTS G_DEPENDS)
      if(TARGET ${dep})
        add_dependencies(guest_${name}_native ${dep})
      endif()
    endforeach()
    target_compile_definitions(guest_${name}_native PRIVATE WASMHOP_GUEST_NATIVE=1)
    # -fno-semantic-interposition: exported functions stay inlinable into their thunks.
    # -fno-sanitize=undefined: a script's native build stands in for its wasm build, whose
    # semantics it relies on (i32 arithmetic wraps, x / 0 traps); UBSan builds would report those.
    # -fasynchronous-unwind-tables: a trap under the host's TrapScope unwinds the script's frames
    # from wherever it faulted (the x86-64 default; said, not assumed).
    target_compile_options(guest_${name}_native PRIVATE -O2 -fno-exceptions -fno-rtti -fno-semantic-interposition
                           -fvisibility=hidden -fno-omit-frame-pointer -fno-sanitize=undefined
                           -fasynchronous-unwind-tables)
    set_target_properties(guest_${name}_native PROPERTIES
      PREFIX "" OUTPUT_NAME ${name}.native SUFFIX ".so"
      LIBRARY_OUTPUT_DIRECTORY ${WASMHOP_GUEST_DIR})
    add_dependencies(guests guest_${name}_native)
  endif()
endfunction()

# wasmhop_add_wat(<name> <file.wat>): hand-written modules (traps, malformed cases) for the
# wasm engines only.
function(wasmhop_add_wat name file)
  get_filename_component(abs ${file} ABSOLUTE)
  set(out ${WASMHOP_GUEST_DIR}/${name}.wasm)
  add_custom_command(OUTPUT ${out}
    COMMAND ${WASMHOP_WAT2WASM} ${abs} -o ${out}
    DEPENDS ${abs} COMMENT "guest ${name}.wasm (wat)" VERBATIM)
  add_custom_target(guest_${name}_wat DEPENDS ${out})
  add_dependencies(guests guest_${name}_wat)
endfunction()

# wasmhop_add_wasi_command(<name> <file.c> [DEFINES <-Dx=y...>]): a C program with a main, built
# the way an ordinary toolchain builds one (a WASI command, no guest SDK): for WASI and `bench`.
function(wasmhop_add_wasi_command name file)
  cmake_parse_arguments(W "" "" "DEFINES" ${ARGN})
  get_filename_component(abs ${file} ABSOLUTE)
  set(out ${WASMHOP_GUEST_DIR}/${name}.wasm)
  add_custom_command(OUTPUT ${out}
    COMMAND ${WASMHOP_GUEST_CC} --target=wasm32-wasi --sysroot=/usr -O2 -Wall ${W_DEFINES} ${abs} -o ${out}
    DEPENDS ${abs} COMMENT "guest ${name}.wasm (WASI command)" VERBATIM)
  add_custom_target(guest_${name}_wasi DEPENDS ${out})
  add_dependencies(guests guest_${name}_wasi)
endfunction()
