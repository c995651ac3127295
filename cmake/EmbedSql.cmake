# almanac_embed_sql(OUTPUT file...): generates a C source holding every SQL
# file as a NUL-terminated string, keyed by its path below schemas/.
set(ALMANAC_EMBED_SCRIPT ${CMAKE_CURRENT_LIST_DIR}/embed_sql_run.cmake)

function(almanac_embed_sql output)
  set(files ${ARGN})
  list(SORT files)
  add_custom_command(
    OUTPUT ${output}
    COMMAND ${CMAKE_COMMAND} -DOUTPUT=${output} -DROOT=${CMAKE_SOURCE_DIR}/schemas
            "-DFILES=${files}" -P ${ALMANAC_EMBED_SCRIPT}
    DEPENDS ${files} ${ALMANAC_EMBED_SCRIPT}
    COMMENT "Embedding ${CMAKE_PROJECT_NAME} SQL files"
    VERBATIM)
endfunction()
