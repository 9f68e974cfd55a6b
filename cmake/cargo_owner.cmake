# Run by the build before cargo (cmake -P): the target directory of a cargo engine crate is shared by
# every clone and worktree with the same key (cmake/EnginePlugin.cmake), and cargo decides freshness
# per tree, so a tree whose own fingerprint is fresh would link the library another tree rebuilt
# there last from its own sources. When the root crate was last built from another tree, forget its
# fingerprints: cargo rebuilds that crate (seconds) from this tree's sources; dependencies stay.
#   -DTARGET_DIR=<cargo target dir> -DCRATE=<this tree's crate dir> -DPACKAGE=<root package name>
set(owner_file ${TARGET_DIR}/wasmhop-built-from)
set(owner "")
if(EXISTS ${owner_file})
  file(READ ${owner_file} owner)
endif()
if(NOT owner STREQUAL CRATE)
  string(REPLACE "_" "-" dashed ${PACKAGE})
  file(GLOB stale ${TARGET_DIR}/release/.fingerprint/${PACKAGE}-* ${TARGET_DIR}/release/.fingerprint/${dashed}-*)
  if(stale)
    file(REMOVE_RECURSE ${stale})
  endif()
  file(MAKE_DIRECTORY ${TARGET_DIR})
  file(WRITE ${owner_file} "${CRATE}")
endif()
