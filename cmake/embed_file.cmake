# cmake -DIN=FILE -DOUT=FILE.c -DNAME=symbol -P embed_file.cmake
# Writes OUT defining `const char NAME[]` (the bytes of IN, NUL-terminated)
# and `const unsigned long NAME_len`: how the report carries Chart.js inside
# the binary, read at build time, not at run time.
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" n)
math(EXPR len "${n} / 2")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${hex}")
file(WRITE "${OUT}" "/* Generated from ${IN} by cmake/embed_file.cmake: do not edit. */\n"
     "const char ${NAME}[] = {\n${bytes}0};\nconst unsigned long ${NAME}_len = ${len};\n")
