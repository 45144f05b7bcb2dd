/**
 * Canonical HCL for the synthesized cdk.tf, matching `terraform fmt`:
 *  1. unwrap interpolation-only strings (`"${aws_vpc.x.id}"` -> `aws_vpc.x.id`),
 *     as terraform fmt does, leaving heredoc bodies untouched;
 *  2. align and indent with @cdktf/hcl-tools, the formatter the cdktf CLI uses.
 */
const INTERPOLATION_ONLY = /"\$\{([^"{}]+)\}"/g;
const HEREDOC_START = /<<-?([A-Za-z_][A-Za-z0-9_]*)\s*$/;

function unwrapInterpolations(text) {
  let heredocEnd = null;
  return text
    .split("\n")
    .map((line) => {
      if (heredocEnd) {
        if (line.trim() === heredocEnd) heredocEnd = null;
        return line;
      }
      const start = HEREDOC_START.exec(line);
      const out = line.replace(INTERPOLATION_ONLY, (_, expr) => expr);
      if (start) heredocEnd = start[1];
      return out;
    })
    .join("\n");
}

async function formatHcl(text) {
  const { format } = require("@cdktf/hcl-tools");
  return format(unwrapInterpolations(text));
}

module.exports = { formatHcl, unwrapInterpolations };
