"""Writes kernel files that go far past the parser's and checker's depth
limits (the reliability issue's item 5 and item 2): a long sum, a long
chain of unary minus signs, deeply nested if blocks and parentheses, and a
huge split list over an extent near 2^61. Each must give one error line,
never a crash. Usage: gen_deep.py DIR"""
import os
import sys

out = sys.argv[1]
HEAD = "kernel k(N) f64\n  sizes s({n})\n  in X[N]\n  out Y[N]\n  init X[i] = i\n"
TMPL = "\ntemplate t\n  knob ti = split(Y.i, {values})\n  schedule Y\n    split i by ti\n"


def write(name, text):
    with open(os.path.join(out, name), "w") as f:
        f.write(text)


write("long-sum.te", HEAD.format(n=64) + "  compute Y[i] = X[i]" + " + X[i]" * 60000 + "\n"
      + TMPL.format(values="[4, 8]"))
write("long-unary.te", HEAD.format(n=64) + "  compute Y[i] = " + "-" * 60000 + "X[i]\n"
      + TMPL.format(values="[4, 8]"))
write("nested-if.te", HEAD.format(n=64) + "  init Y[i] = 0\n" + "if 1 == 1 {\n" * 50000
      + "Y[0] = 1\n" + "}\n" * 50000)
write("nested-parens.te", HEAD.format(n=64) + "  compute Y[i] = " + "(" * 50000 + "X[i]"
      + ")" * 50000 + "\n")
values = ", ".join(str(v) for v in range(1, 200001))
write("huge-split-list.te", HEAD.format(n=2**61) + "  compute Y[i] = 2 * X[i]\n"
      + TMPL.format(values="[" + values + "]"))
write("many-sizes.te", "kernel k(N) f64\n  sizes " + " ".join("s%d(%d)" % (i, i + 1) for i in range(100000))
      + "\n  in X[N]\n  out Y[N]\n  init X[i] = i\n  compute Y[i] = X[i]\n")
write("many-tensors.te", "kernel k(N) f64\n  sizes s(8)\n" + "".join("  in T%d[N]\n" % i for i in range(50000))
      + "  out Y[N]\n  compute Y[i] = T0[i]\n")
