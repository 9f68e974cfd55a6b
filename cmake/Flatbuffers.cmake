# FlatBuffers for the host and for guests (Debian libflatbuffers-dev + flatbuffers-compiler).
#
# flatc compiles guest/abi/wasmhop_payloads.fbs at BUILD time into one build-tree include
# directory that holds only what the codec needs, so a wasm32 guest never sees /usr/include:
#   ${WASMHOP_FLATBUFFERS_INCLUDE}/flatbuffers/...                    (link to the system headers)
#   ${WASMHOP_FLATBUFFERS_INCLUDE}/wasmhop/abi/wasmhop_payloads_generated.h
# Include it through <wasmhop/abi/flatbuffers.hpp> (guest SDK), which sets a trap-based
# FLATBUFFERS_ASSERT for wasm (the default assert would import WASI functions).
#
# Guests:  wasmhop_add_guest(x SOURCES x.cpp INCLUDES ${WASMHOP_GUEST_FLATBUFFERS_INCLUDE}
#                            DEPENDS ${WASMHOP_GUEST_FLATBUFFERS_DEPENDS})
# Host:    target_link_libraries(t PRIVATE $<BUILD_INTERFACE:wasmhop::codecs>)
#          (guest/include for the codec headers + this directory; waits for flatc)
find_program(WASMHOP_FLATC NAMES flatc REQUIRED)
find_path(WASMHOP_FLATBUFFERS_SYSTEM_INCLUDE flatbuffers/flatbuffers.h REQUIRED)

set(WASMHOP_FLATBUFFERS_INCLUDE ${CMAKE_BINARY_DIR}/flatbuffers-include)
set(WASMHOP_GUEST_FLATBUFFERS_INCLUDE ${WASMHOP_FLATBUFFERS_INCLUDE})
set(WASMHOP_FLATBUFFERS_SCHEMAS ${PROJECT_SOURCE_DIR}/guest/abi/wasmhop_payloads.fbs)

file(MAKE_DIRECTORY ${WASMHOP_FLATBUFFERS_INCLUDE}/wasmhop/abi)
if(NOT EXISTS ${WASMHOP_FLATBUFFERS_INCLUDE}/flatbuffers)
  file(CREATE_LINK ${WASMHOP_FLATBUFFERS_SYSTEM_INCLUDE}/flatbuffers
       ${WASMHOP_FLATBUFFERS_INCLUDE}/flatbuffers SYMBOLIC COPY_ON_ERROR)
endif()

set(WASMHOP_FLATBUFFERS_GENERATED)
foreach(schema IN LISTS WASMHOP_FLATBUFFERS_SCHEMAS)
  get_filename_component(stem ${schema} NAME_WE)
  set(header ${WASMHOP_FLATBUFFERS_INCLUDE}/wasmhop/abi/${stem}_generated.h)
  add_custom_command(
    OUTPUT ${header}
    COMMAND ${WASMHOP_FLATC} --cpp --scoped-enums -o ${WASMHOP_FLATBUFFERS_INCLUDE}/wasmhop/abi ${schema}
    DEPENDS ${schema} ${WASMHOP_FLATC}
    COMMENT "flatc ${stem}.fbs"
    VERBATIM)
  list(APPEND WASMHOP_FLATBUFFERS_GENERATED ${header})
endforeach()
add_custom_target(wasmhop_flatbuffers_generate DEPENDS ${WASMHOP_FLATBUFFERS_GENERATED})
set(WASMHOP_GUEST_FLATBUFFERS_DEPENDS wasmhop_flatbuffers_generate ${WASMHOP_FLATBUFFERS_GENERATED})

# Host-side codecs (header-only): the guest SDK's codec headers plus the generated FlatBuffers.
add_library(wasmhop_codecs INTERFACE)
add_library(wasmhop::codecs ALIAS wasmhop_codecs)
target_include_directories(wasmhop_codecs INTERFACE ${PROJECT_SOURCE_DIR}/guest/include
                           ${WASMHOP_FLATBUFFERS_INCLUDE})
add_dependencies(wasmhop_codecs wasmhop_flatbuffers_generate)
