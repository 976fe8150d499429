# kasf_embed_text(TARGET target HEADER name.h NAMESPACE ns FILES a.js b.css ...)
# Embeds text files into a generated header at build time (rebuilt when a file changes), one
# `inline constexpr std::string_view` per file named k<File_name_ext> ("page_shell.html" ->
# kPageShellHtml), so that the files stay real .html/.js/.css files in the repository.
function(kasf_embed_text)
  cmake_parse_arguments(ARG "" "TARGET;HEADER;NAMESPACE" "FILES" ${ARGN})
  set(output "${CMAKE_CURRENT_BINARY_DIR}/${ARG_HEADER}")
  set(sources "")
  foreach(file ${ARG_FILES})
    list(APPEND sources "${CMAKE_CURRENT_SOURCE_DIR}/${file}")
  endforeach()
  string(REPLACE ";" "|" source_list "${sources}")
  add_custom_command(
    OUTPUT "${output}"
    COMMAND ${CMAKE_COMMAND} "-DOUTPUT=${output}" "-DNAMESPACE=${ARG_NAMESPACE}" "-DSOURCES=${source_list}"
            -P "${CMAKE_SOURCE_DIR}/cmake/EmbedTextScript.cmake"
    DEPENDS ${sources} "${CMAKE_SOURCE_DIR}/cmake/EmbedTextScript.cmake"
    COMMENT "Embedding ${ARG_HEADER}"
    VERBATIM)
  target_sources(${ARG_TARGET} PRIVATE "${output}")
  target_include_directories(${ARG_TARGET} PRIVATE "${CMAKE_CURRENT_BINARY_DIR}")
endfunction()
