# kasf_add_boost_test(NAME SOURCES ... LIBS ...)
# Builds a Boost.Test executable and registers each of its test cases as its own CTest test, by
# asking the executable for its test tree (--list_content) when CTest runs, so that cases which are
# registered at run time (the op table) are listed one by one too.
function(kasf_add_boost_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} Boost::unit_test_framework)
  target_compile_definitions(${name} PRIVATE BOOST_TEST_DYN_LINK)
  set(include_file "${CMAKE_CURRENT_BINARY_DIR}/${name}_tests.cmake")
  file(WRITE "${include_file}"
    "include(\"${CMAKE_SOURCE_DIR}/cmake/KasfBoostTestList.cmake\")\n"
    "kasf_register_boost_cases(\"${name}\" \"$<TARGET_FILE:${name}>\" \"${CMAKE_CURRENT_SOURCE_DIR}\")\n")
  file(GENERATE OUTPUT "${include_file}" INPUT "${include_file}")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${include_file}")
endfunction()
