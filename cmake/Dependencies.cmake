# Finds every library almanac links against. A missing one stops the
# configure step and names the Debian package that provides it.
find_package(PkgConfig QUIET)
if(NOT PKG_CONFIG_FOUND)
  message(FATAL_ERROR "pkg-config not found: install it with  apt-get install pkg-config")
endif()

function(almanac_require_pc var module package)
  pkg_check_modules(${var} QUIET IMPORTED_TARGET ${module})
  if(NOT ${var}_FOUND)
    message(FATAL_ERROR "${module} not found: install it with  apt-get install ${package}")
  endif()
endfunction()

function(almanac_require_lib var header lib package)
  find_path(${var}_INCLUDE_DIR ${header})
  find_library(${var}_LIBRARY ${lib})
  if(NOT ${var}_INCLUDE_DIR OR NOT ${var}_LIBRARY)
    message(FATAL_ERROR "${lib} (${header}) not found: install it with  apt-get install ${package}")
  endif()
  add_library(almanac::${lib} UNKNOWN IMPORTED)
  set_target_properties(almanac::${lib} PROPERTIES
    IMPORTED_LOCATION "${${var}_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${${var}_INCLUDE_DIR}")
endfunction()

almanac_require_pc(PQ libpq libpq-dev)
almanac_require_pc(JANSSON jansson libjansson-dev)
# libxlsxwriter's .pc file reports an odd version string, so no version is tested.
almanac_require_pc(XLSXWRITER xlsxwriter libxlsxwriter-dev)
# libhpdf and libcsv ship no pkg-config file on Debian 12.
almanac_require_lib(HPDF hpdf.h hpdf libhpdf-dev)
almanac_require_lib(CSV csv.h csv libcsv-dev)

add_library(almanac_deps INTERFACE)
target_link_libraries(almanac_deps INTERFACE
  PkgConfig::PQ PkgConfig::JANSSON PkgConfig::XLSXWRITER
  almanac::hpdf almanac::csv m)
add_library(almanac::deps ALIAS almanac_deps)

if(BUILD_TESTING OR NOT DEFINED BUILD_TESTING)
  pkg_check_modules(CMOCKA QUIET IMPORTED_TARGET cmocka)
  if(NOT CMOCKA_FOUND)
    message(FATAL_ERROR "cmocka not found (needed for the tests): install it with  apt-get install libcmocka-dev")
  endif()
endif()
