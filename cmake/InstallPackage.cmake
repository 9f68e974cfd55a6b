# `cmake --install` gives users find_package(wasmhop) -> wasmhop::wasmhop, the CLI and the guest SDK.
include(CMakePackageConfigHelpers)
install(TARGETS wasmhop EXPORT wasmhopTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
install(TARGETS wasmhop_cli RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/wasmhop DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/guest/include/wasmhop
  DESTINATION ${CMAKE_INSTALL_DATADIR}/wasmhop/guest/include)
install(FILES ${WASMHOP_ABI_GUEST_HEADERS}  # generated: the ABI registry's guest #include list
  DESTINATION ${CMAKE_INSTALL_DATADIR}/wasmhop/guest/include/wasmhop/abi/exports)
install(FILES ${PROJECT_SOURCE_DIR}/guest/src/native_support.cpp
  DESTINATION ${CMAKE_INSTALL_DATADIR}/wasmhop/guest/src)
install(EXPORT wasmhopTargets NAMESPACE wasmhop:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/wasmhop)
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/wasmhopConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/wasmhopConfig.cmake
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/wasmhop)
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/wasmhopConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/wasmhopConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/wasmhopConfigVersion.cmake
  ${PROJECT_SOURCE_DIR}/cmake/FindV8.cmake
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/wasmhop)
