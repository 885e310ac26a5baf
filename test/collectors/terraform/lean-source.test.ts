/**
 * The parser reads a lean copy of each HCL file (runs of template text and blanks folded); what it
 * gives must be exactly what the file as written gives: the same syntax tree, positions, values
 * and syntax errors.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { hclParser, parseHcl } from '../../../src/collectors/terraform/hcl-parser.js';
import { leanSource } from '../../../src/collectors/terraform/lean-source.js';

async function expectSameParse(text: string, leanParsesToo = true): Promise<void> {
  const asWritten = await parseHcl('main.tf', text, { asWritten: true });
  expect(await parseHcl('main.tf', text)).toEqual(asWritten);
  // A file that parses as written parses from its lean copy too, rather than being parsed twice.
  const lean = leanSource(text);
  if (lean && !asWritten.error && leanParsesToo) {
    const tree = (await hclParser()).parse(lean.text)!;
    expect(tree.rootNode.hasError).toBe(false);
    tree.delete();
  }
}

function hclFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) hclFiles(path, out);
    else if (/\.(tf|tfvars|hcl)$/.test(name)) out.push(path);
  }
  return out;
}

describe('leanSource', () => {
  it('folds template text and blanks, and maps every offset back', () => {
    const text = 'a    = "system:serviceaccount:ns:sa"\n';
    const lean = leanSource(text)!;
    expect(lean.text).toBe('a = "`"\n');
    // Each character of the lean text maps to where it, or the run it stands for, starts.
    expect([...lean.text].map((_, i) => lean.toSource(i))).toEqual([0, 1, 5, 6, 7, 8, 35, 36]);
    expect(lean.toSource(lean.text.length)).toBe(text.length);
  });

  it('keeps what the grammar reads as written', () => {
    const text = [
      'a = "\\"q\\" \\u00e9 \\U0001F600 $${x} %%{y} $ % { }"',
      '# a "comment\'s" quote',
      '// another "one',
      '/* "block" */ b = 1',
      'c = "pre ${ { k = "v  w" }.k } post ${x}"',
      'd = <<-EOT',
      '    text   here',
      '    EOTX not the end',
      '    EOT',
      'e = 2',
      '',
    ].join('\n');
    const lean = leanSource(text)!.text;
    const kept = [
      '\\"q\\"',
      '\\u00e9',
      '\\U0001F600',
      '$${',
      '%%{',
      '# a "comment\'s" quote',
      '// another "one',
      '/* "block" */',
      '${ { k = "`" }.k }',
      '\n EOTX',
      '\n EOT\ne = 2',
    ];
    for (const piece of kept) expect(lean).toContain(piece);
  });

  it('maps offsets back the same in any order, each copied character to itself', () => {
    const piece = fc.constantFrom('a', 'name', ' ', '   ', '\t\t', '\n', '\n    ', '\r\n', '"text  here"', '"${x}  y"', '<<EOF\n  body  text\nEOF\n', '# c  c\n', '=', '{', '}');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }).map((p) => p.join('')), fc.array(fc.nat(), { maxLength: 30 }), (text, probes) => {
        const lean = leanSource(text);
        if (!lean) return;
        const inOrder = Array.from({ length: lean.text.length + 1 }, (_, i) => lean.toSource(i));
        for (let i = 1; i < inOrder.length; i++) expect(inOrder[i]).toBeGreaterThan(inOrder[i - 1]!);
        expect(inOrder[lean.text.length]).toBe(text.length);
        // A character that does not stand for a run is the source's character at its offset.
        for (let i = 0; i < lean.text.length; i++) if (!'` \n'.includes(lean.text[i]!)) expect(text[inOrder[i]!]).toBe(lean.text[i]);
        for (const p of probes) {
          const i = p % (lean.text.length + 1);
          expect(lean.toSource(i)).toBe(inOrder[i]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('leaves a file without anything to fold alone', () => {
    expect(leanSource('a = 1\nb = [1, 2]\n')).toBeUndefined();
  });

  it('parses hand-picked corners the same as the file as written', async () => {
    const cases = [
      'a = "plain"\n',
      'a = "${var.x}-${var.y}  and  text"\n',
      'a = "%{ if var.on }yes  sir%{ else }no%{ endif }"\n',
      'a = "%{ for k, v in var.m }${k}=${v},  %{ endfor }"\n',
      'a = <<EOF\n{\n  "Version": "2012-10-17",\n  "Statement": [ { "Effect": "Allow" } ]\n}\nEOF\n',
      'a = <<-EOT\n    ${jsonencode({ a = "b  c" })}\n      indented  text\n    EOT\nb = 1\n',
      'a = <<EOF\nEO\nEOFX\nEOF  trailing\n  EOF\nb = "after"\n',
      'a = <<EOF\r\nline  one\r\nEOF\r\nb = "crlf  file"\r\n',
      'a = "tab\tseparated\t\tvalues"\n\tb\t\t= 1\n',
      'a = "naïve 😀 ünïcödé  text"\n',
      'a = "unterminated\nb = 1\n',
      'a = "bad \\q escape"\n',
      'a = "short \\u12"\n',
      'a = <<EOF\nnever closed\n',
      'a = "nul\u0000inside"\n',
      'locals {\n  x = { for k, v in var.m : k => "${v}  suffix" if v != "" }\n}\n',
      'resource "aws_iam_role" "r" {\n  name = "role-name"\n  assume_role_policy = jsonencode({\n    Statement = [{ Condition = { StringEquals = { "oidc.eks.amazonaws.com/id/ABC:sub" = "system:serviceaccount:a:b" } } }]\n  })\n}\n',
    ];
    for (const text of cases) await expectSameParse(text);
  });

  it('parses text whose reading depends on the scanner\'s details the same as the file as written', async () => {
    const cases = [
      // Whitespace other than blanks before a closing marker, or after it: the scanner skips it.
      'a = <<EOF\nx\n\rEOF\nb = "s"\n',
      'a = <<EOF\nx\n\fEOF\nb = "s"\n',
      'a = <<EOF\nx\n\u0085EOF\nb = "s"\n',
      'a = <<EOF\n\u2028EOF\nb = a.b\n',
      'a = <<x\nx\u00a0\n"\nab\n+\nx\n',
      'a = <<x\nx\ufeff\n"\nab\n+\nx\n',
      // Text right after an opening marker, and a marker the scanner may read longer.
      'a = <<E..\nE\nb = <<Ex\nEx\n',
      'a = <\u2039E\u00d6F\nE\nb = <<Ex\nEx\n',
      'a = <<E\u00d6F\nx\nE\u00d6F\nb = 1\n',
      // Doubled marks: `$$${` is `$$` then an interpolation.
      'a = "$$${a.b\n}"\n',
      'a = "$$${b}"\n',
      'a = <<MARKERS\n%%%{ if a.b\n}y%{ endif }\nMARKERS\n',
      // A full marker followed by more text on its line.
      'blk {\n  a = <<EOF\nEOF${\nEOF\n}\nc = "q"\n',
      'a = <<EOF\nEOF$${a.b\n}\nEOF\n',
      'a = <<EOF\nEOF ${x}\nEOF\nb = "q"\n',
      'a = <<EOF..\nEOF\n',
      // A marker line or a quote inside a directive's body.
      'a = <<E\n%{ if c }\nE\n"\n%{ endif }\nE\nb\n=\n"q"\nc\n=\na.b\n',
      'a = "%{ if c }"%{ endif }"\nc\n=\na.b\n',
      'a = "%{ for x in y }"%{ endfor }"\nc\n=\na.b\n',
      // `${` in a block label is text: the grammar allows no template there.
      'b "${<<E y" "${x" {\n}\n',
      'b "${<<E"{\nx="\nab cd" # tail\n# "\n}\n',
      'b "$$${<<E"{\nx="\nab cd" # tail\n# "\n}\n',
      'a:: "${x" {\n}\nb = "q"\n',
      // A marker too long for the scanner to store.
      `a = <<${'E'.repeat(128)}\nE\nb = "${'x'.repeat(130)}" # c\n# "\n`,
      `a = <<${'E'.repeat(128)}\nfoo\nb = "${'x'.repeat(200)}" c d\n"\n`,
    ];
    for (const text of cases) await expectSameParse(text, false);
  });

  it('parses every HCL fixture of the project the same as the file as written', async () => {
    const files = ['fixtures', 'test'].flatMap((d) => hclFiles(d));
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) await expectSameParse(readFileSync(file, 'utf8'));
  });

  it('parses generated HCL the same as the file as written', async () => {
    const blank = fc.constantFrom('', ' ', '  ', '\t', '    ', ' \t ');
    const text = fc.array(
      fc.constantFrom('a', 'b c', 'EOF', 'EO', 'EOF.', 'EOF${', 'x"y', '\\"', '\\\\', '\\n', '\\u00e9', '$${', '$$${', '%%{', '%%%{', '$', '%', '{', '}', '#', '//', '/*', 'é', '😀', '\t', '  ', '~', '\r', '\f', '\u2028', '\u00a0', '`'),
      { maxLength: 8 },
    ).map((parts) => parts.join(''));
    const expr: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
      expr: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        fc.constantFrom('1', 'true', 'null', 'var.x', 'local.y[0]', 'aws_iam_role.r.arn'),
        text.map((t) => `"${t.replace(/\\(?![\\"nu])/g, '\\\\').replace(/"/g, '\\"').replace(/\\u(?![0-9a-f]{4})/g, '\\\\u')}"`),
        fc.tuple(text.map((t) => t.replace(/["\\$%]/g, '')), tie('expr'), blank).map(([t, e, b]) => `"${t}\${${b}${e}${b}}${t}"`),
        fc.tuple(tie('expr'), text.map((t) => t.replace(/["\\$%]/g, ''))).map(([e, t]) => `"%{ if ${e} }${t}%{ else }${t} %{ endif }"`),
        fc.tuple(fc.constantFrom('<<', '<<-'), fc.array(fc.tuple(blank, text.map((t) => t.replace(/[$%]/g, ''))), { maxLength: 4 }), blank).map(
          ([open, lines, indent]) => `${open}EOF\n${lines.map(([b, t]) => b + t).join('\n')}\n${open === '<<-' ? indent : ''}EOF\n`,
        ),
        fc.array(tie('expr'), { maxLength: 3 }).map((items) => `[${items.join(', ')}]`),
        fc.array(fc.tuple(fc.constantFrom('k', '"quoted key"', 'other'), tie('expr'), blank), { maxLength: 3 }).map(
          (items) => `{${items.map(([k, v, b]) => `${b}${k}${b}=${b}${v}`).join('\n')}\n}`,
        ),
      ),
    })).expr;
    const comment = fc.constantFrom('', ' # "note', ' // it\'s', ' /* "x" */');
    const line = fc.tuple(blank, fc.constantFrom('name', 'policy', 'values'), blank, expr, comment).map(([b, n, b2, e, c]) => `${b}${n}${b2}=${b2}${e}${c}`);
    const label = fc.oneof(fc.constant('"label"'), text.map((t) => `"${t.replace(/["\\\n]/g, '')}"`));
    const file = fc.array(fc.oneof(line, fc.tuple(label, line).map(([name, l]) => `block ${name} {\n${l}\n}`)), { minLength: 1, maxLength: 5 }).map((lines) => lines.join('\n') + '\n');
    // Some files broken on purpose: a syntax error must be found and placed as in the file as written.
    const maybeBroken = fc.tuple(file, fc.option(fc.tuple(fc.nat(), fc.constantFrom('"', '{', '}', '<<', '$', '\\')), { freq: 4 })).map(([f, cut]) =>
      cut ? f.slice(0, cut[0] % f.length) + cut[1] + f.slice(cut[0] % f.length) : f,
    );
    // The grammar accepts some text Terraform rejects (a `"` inside `%{ if }` in a string is text to it);
    // there the lean copy may fail to parse and the file is parsed as written, which is still the same.
    await fc.assert(fc.asyncProperty(maybeBroken, (text) => expectSameParse(text, false)), { numRuns: 400 });
  });
});
