# Writes a C++ source that defines `extern const char NAME[]` with the bytes of INPUT (script mode:
# cmake -DINPUT=... -DOUTPUT=... -DNAME=... -P embed.cmake). Hex bytes, so any file content is safe.
file(READ "${INPUT}" content HEX)
string(LENGTH "${content}" hex_len)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${content}")
file(WRITE "${OUTPUT}.tmp" "// Generated from ${INPUT}; do not edit.\n#include <cstddef>\nnamespace ap::app {\nextern const char ${NAME}[] = {${bytes} '\\0'};\nextern const std::size_t ${NAME}Size = sizeof(${NAME}) - 1;\n}\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
