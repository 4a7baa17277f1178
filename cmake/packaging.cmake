# SPDX-License-Identifier: Apache-2.0
# Install layout, CMake package (find_package(smmuv3sim)), pkg-config file and
# the Debian package (cpack -G DEB). docs/install.md describes the result.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)
set(SMMU_DOCDIR ${CMAKE_INSTALL_DATAROOTDIR}/doc/smmuv3-sim)

# libsmmu.so's VERSION/SOVERSION come from the ABI version (CMakeLists.txt).

install(TARGETS smmu smmu_shared EXPORT smmuv3simTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
        RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
# Public headers only (csrc/include/smmu), plus the generated version header.
install(DIRECTORY ${CMAKE_SOURCE_DIR}/csrc/include/smmu DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
        FILES_MATCHING PATTERN "*.h")
install(FILES ${CMAKE_BINARY_DIR}/include/smmu/smmu_version.h
        DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}/smmu)

foreach(tool smmu-replay smmu-conformance smmu-trace smmu-bench smmu-example)
  if(TARGET ${tool})
    install(TARGETS ${tool} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
endforeach()
if(SMMU_BUILD_TOOLS)
  install(PROGRAMS ${CMAKE_BINARY_DIR}/smmu-plot DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(PROGRAMS ${CMAKE_BINARY_DIR}/smmu-sweep DESTINATION ${CMAKE_INSTALL_BINDIR})
  install(PROGRAMS ${CMAKE_BINARY_DIR}/gen_trace.py DESTINATION ${CMAKE_INSTALL_BINDIR}
          RENAME smmu-gen-trace)
endif()
install(DIRECTORY ${CMAKE_SOURCE_DIR}/traces/ DESTINATION ${CMAKE_INSTALL_DATADIR}/smmuv3-sim/traces)
install(FILES ${CMAKE_SOURCE_DIR}/README.md ${CMAKE_SOURCE_DIR}/LICENSE ${CMAKE_SOURCE_DIR}/NOTICE
              ${CMAKE_SOURCE_DIR}/CHANGELOG.md
        DESTINATION ${SMMU_DOCDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/docs/ DESTINATION ${SMMU_DOCDIR}/docs)

# CMake package: find_package(smmuv3sim 0.2 REQUIRED), then
# target_link_libraries(app smmuv3sim::smmu) (static) or smmuv3sim::smmu_shared.
set(SMMU_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/smmuv3sim)
install(EXPORT smmuv3simTargets NAMESPACE smmuv3sim:: DESTINATION ${SMMU_CMAKE_DIR})
configure_package_config_file(${CMAKE_SOURCE_DIR}/cmake/smmuv3simConfig.cmake.in
                              ${CMAKE_BINARY_DIR}/smmuv3simConfig.cmake
                              INSTALL_DESTINATION ${SMMU_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_BINARY_DIR}/smmuv3simConfigVersion.cmake
                                 VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_BINARY_DIR}/smmuv3simConfig.cmake ${CMAKE_BINARY_DIR}/smmuv3simConfigVersion.cmake
        DESTINATION ${SMMU_CMAKE_DIR})

# pkg-config: pkg-config --cflags --libs smmuv3-sim. The prefix is found from
# the .pc file's own place, so `cmake --install --prefix P` and the .deb both work.
file(RELATIVE_PATH SMMU_PC_TO_PREFIX /p/${CMAKE_INSTALL_LIBDIR}/pkgconfig /p)
configure_file(${CMAKE_SOURCE_DIR}/cmake/smmuv3-sim.pc.in ${CMAKE_BINARY_DIR}/smmuv3-sim.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/smmuv3-sim.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# Debian package: cpack -G DEB (in the build directory).
set(CPACK_PACKAGE_NAME smmuv3-sim)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "smmuv3-sim authors")
set(CPACK_PACKAGE_CONTACT "smmuv3-sim maintainers <smmuv3-sim@users.noreply.github.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Arm SMMUv3 reference model and simulator")
set(CPACK_PACKAGE_DESCRIPTION "Cycle-approximate simulator and reference model of the Arm SMMUv3 \
(System MMU, IHI 0070): C11 core library, trace replay and benchmark tools, bundled scenarios.")
set(CPACK_PACKAGE_HOMEPAGE_URL ${SMMU_HOMEPAGE})
set(CPACK_RESOURCE_FILE_LICENSE ${CMAKE_SOURCE_DIR}/LICENSE)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION devel)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "python3")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
include(CPack)

# Not in the sanitizer build: its libraries need the sanitizer runtime, which a
# plain consumer does not link; the normal build checks the package.
if(SMMU_BUILD_TESTS AND NOT SMMU_SANITIZE)
  # Installs into a temporary prefix and builds two consumers against it.
  add_test(NAME install.consumers
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/install/consumers.sh ${CMAKE_BINARY_DIR}
                   ${CMAKE_SOURCE_DIR}/tests/install)
  add_test(NAME install.deb_contents
           COMMAND bash ${CMAKE_SOURCE_DIR}/tests/install/deb_contents.sh ${CMAKE_BINARY_DIR}
                   ${PROJECT_VERSION})
  set_tests_properties(install.consumers install.deb_contents PROPERTIES RUN_SERIAL ON)
endif()
