#!/usr/bin/env python3
"""Lists C functions longer than a limit or nested deeper than a limit.

The tree is formatted by tools/indent.sh (GStreamer style), so a function
body opens with '{' in column 0 and closes with '}' in column 0; its name is
the identifier before '(' on the line after the return type. Length is the
number of lines from that '{' to its '}'; nesting depth counts the braces
opened inside the body (plus one for each unbraced if/for/while/else body
deeper than the enclosing braces, estimated from the indentation of the lines
that start a statement: two columns a level). Exit status 1 when a function breaks a limit.

usage: check-functions.py [--max-lines N] [--max-depth N] FILE.c...
"""
import re
import sys


def starts_statement(prev):
    """Whether the line after `prev` begins a statement (not a continuation)."""
    p = prev.split('/*')[0].strip()
    if not p or p.endswith((';', '{', '}', ':')) or p == 'else':
        return True
    # an unbraced control statement's header: its body is one level deeper
    return re.match(r'^(\} )?(if|for|while|else if|else|do)\b', p) is not None \
        and p.endswith(')') and p.count('(') == p.count(')')


def functions(path):
    lines = open(path, encoding='utf-8', errors='replace').read().split('\n')
    i = 0
    while i < len(lines):
        if lines[i] == '{':
            name = '?'
            for back in range(i - 1, max(i - 8, -1), -1):
                m = re.match(r'^([A-Za-z_][A-Za-z0-9_]*) \(', lines[back])
                if m:
                    name = m.group(1)
                    break
            depth, maxd, j = 0, 0, i
            while j < len(lines):
                line = lines[j]
                if j > i and line == '}':
                    break
                code = re.sub(r'"(\\.|[^"\\])*"', '""', line)
                code = re.sub(r"'(\\.|[^'\\])*'", "''", code)
                code = code.split('//')[0]
                if j > i:
                    stripped = code.strip()
                    if stripped and not stripped.startswith(('*', '/*')):
                        # indentation level of a statement line (2 columns a level)
                        ind = (len(code) - len(code.lstrip(' '))) // 2
                        if starts_statement(lines[j - 1]):
                            maxd = max(maxd, ind - 1)
                for ch in code:
                    if ch == '{':
                        depth += 1
                    elif ch == '}':
                        depth -= 1
                j += 1
            yield name, i + 1, j - i + 1, maxd
            i = j
        i += 1


def main(argv):
    max_lines, max_depth, files = 150, 5, []
    it = iter(argv)
    for a in it:
        if a == '--max-lines':
            max_lines = int(next(it))
        elif a == '--max-depth':
            max_depth = int(next(it))
        else:
            files.append(a)
    bad = 0
    for f in files:
        for name, line, n, d in functions(f):
            if n > max_lines or d > max_depth:
                print(f'{f}:{line}: {name}: {n} lines, nesting depth {d}')
                bad += 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
