/**
 * What the user keeps private opened to anyone (SR-EXFIL-032), in the forms a script writes it:
 *
 * - every private repository a listing returns made public: `gh repo list --visibility private`
 *   (or `/user/repos`, `listForAuthenticatedUser`, GitLab's `/projects?owned=true`) then
 *   `gh repo edit --visibility public`, a PATCH with `"private": false` or `visibility=public`;
 * - a cloud firewall opened to the whole internet on every port: `aws ec2
 *   authorize-security-group-ingress` with `--protocol -1|all` or `0-65535` from `0.0.0.0/0`,
 *   `gcloud compute firewall-rules create --allow=all|tcp:0-65535 --source-ranges=0.0.0.0/0`,
 *   an Azure NSG rule from `*`/`Internet` to port `*`, and the Terraform and CloudFormation
 *   spellings (`protocol = "-1"` or `0`..`65535` with `cidr_blocks = ["0.0.0.0/0"]`);
 * - a storage bucket anyone may write to or do anything with: `public-read-write`, `allUsers`
 *   given a writer or admin role, a bucket policy granting `"Principal": "*"` every action or a write.
 *
 * One port opened to the world (443 for a web server), one repository the user names made public,
 * or a bucket made readable for a static site is a reviewed choice and has none of these shapes.
 */
import type { Hit, Rule, Segment } from "../types.js";
import { SCRIPTS_PROSE_CONFIG } from "./common.js";

/** A listing of every repository of the user or an organisation (the private ones, or all). */
const REPO_LISTING =
  /\bgh\s+repo\s+list\b|\/user\/repos\b|\/orgs\/[^\s/"'`]+\/repos\b|\blistFor(?:AuthenticatedUser|Org|User)\b|\bget_repos\s*\(|\/projects\?[^\s"'`]*\bowned=true|\bglab\s+repo\s+list\b/;
/** One repository's visibility flipped to public. */
const MADE_PUBLIC =
  /\bgh\s+repo\s+edit\b[^\n]{0,200}--visibility[= ]["']?public\b|["']?private["']?\s*[:=]\s*(?:false|False)\b|\bprivate=false\b|["']?visibility["']?\s*[:=]\s*["']?public\b|\bedit\s*\([^\n]{0,80}private\s*=\s*False\b/;

/** The whole internet as a source. */
const WORLD = /0\.0\.0\.0\/0|::\/0/;
/** Every port or protocol (aws/gcloud/az CLI flags, Terraform, CloudFormation). */
const EVERY_PORT_CLI =
  /--protocol[= ]["']?(?:-1|all)\b|--port[= ]["']?0-65535\b|\bIpProtocol=-1\b|--allow[= ]["']?(?:all\b|tcp:0-65535\b|tcp:1-65535\b)|--rules[= ]["']?all\b|--destination-port-ranges?[= ]["']?\*/;
const AWS_INGRESS = /\bauthorize-security-group-ingress\b|\bgcloud\s+compute\s+firewall-rules\s+(?:create|update)\b|\baz\s+network\s+nsg\s+rule\s+(?:create|update)\b/;
const AZ_ANY_SOURCE = /--source-address-prefix(?:es)?[= ]["']?(?:\*|Internet|0\.0\.0\.0\/0)["']?/;
/** Terraform or CloudFormation: an ingress open on every port (protocol -1 or 0..65535). */
const IAC_EVERY_PORT = /\bprotocol\s*=\s*"(?:-1|all)"|\bIpProtocol:\s*["']?-1\b|\bfrom_port\s*=\s*0\b[^}]{0,200}\bto_port\s*=\s*65535\b|\bFromPort:\s*0\b[^}]{0,200}\bToPort:\s*65535\b/;
const IAC_WORLD = /\bcidr_blocks\s*=\s*\[\s*"0\.0\.0\.0\/0"|\bipv6_cidr_blocks\s*=\s*\[\s*"::\/0"|\bCidrIp:\s*["']?0\.0\.0\.0\/0/;
const IAC_INGRESS = /\bingress\b|"ingress"|SecurityGroupIngress\b/;

/** A bucket anyone may write to or administer: an ACL, or Google Cloud's allUsers given a writing role. */
const WRITING_ROLE = String.raw`roles\/storage\.(?:admin|objectAdmin|objectCreator|legacyBucketWriter|legacyBucketOwner)\b`;
const PUBLIC_WRITE = new RegExp(
  String.raw`--acl[= ]["']?public-read-write\b|\bACL\s*=\s*["']public-read-write["']|\bacl\s*=\s*"public-read-write"` +
    String.raw`|\ball(?:Authenticated)?Users:(?:objectAdmin|admin|legacyBucketWriter|objectCreator|W|O)\b` +
    String.raw`|\ball(?:Authenticated)?Users\b[^\n]{0,200}\b${WRITING_ROLE}|\b${WRITING_ROLE}[^\n]{0,200}\ball(?:Authenticated)?Users\b`,
);
/** A resource policy (JSON, or Terraform's HCL) granting a wildcard principal every action or a write, in either order. */
const ANYONE = String.raw`["']?Principal["']?\s*[=:]\s*(?:["']\*["']|\{\s*["']?AWS["']?\s*[=:]\s*["']\*["']\s*\})`;
const WRITE_ACTION = String.raw`["']?Action["']?\s*[=:]\s*(?:\[[^\]]{0,300}?)?["'](?:s3:(?:Put\w*|Delete\w*|\*)|\*)["']`;
const PUBLIC_POLICY = new RegExp(String.raw`${ANYONE}[^{}\]]{0,400}?${WRITE_ACTION}|${WRITE_ACTION}[^{}\]]{0,400}?${ANYONE}`, "i");

function lineSpan(text: string, index: number): Hit {
  const start = text.lastIndexOf("\n", index - 1) + 1;
  const end = text.indexOf("\n", index);
  return { index: start, length: (end < 0 ? text.length : end) - start };
}

/** Lines of Terraform or CloudFormation either side of an address range that one resource block spans. */
const IAC_REACH = 15;

function publicExposure(seg: Segment): Hit[] {
  const text = seg.text;
  const listing = REPO_LISTING.exec(text);
  if (listing) {
    const flip = MADE_PUBLIC.exec(text.slice(listing.index));
    if (flip) return [{ ...lineSpan(text, listing.index + flip.index), message: `Makes every repository a listing returns public (${listing[0].trim()} then ${flip[0].trim().slice(0, 50)}): the user's private code published.` }];
  }
  const policy = PUBLIC_POLICY.exec(text);
  if (policy) return [{ ...lineSpan(text, policy.index), message: "A bucket policy grants anyone on the internet every action or a write." }];
  // A command continued over lines (`\` at a line's end) is one line; two spaces keep the offsets.
  const lines = text.replace(/\\\r?\n/g, (c) => " ".repeat(c.length)).split("\n");
  let at = 0;
  for (let n = 0; n < lines.length; at += lines[n]!.length + 1, n++) {
    const l = lines[n]!;
    if (AWS_INGRESS.test(l) && (WORLD.test(l) || AZ_ANY_SOURCE.test(l)) && EVERY_PORT_CLI.test(l)) return [{ ...lineSpan(text, at), message: "Opens a cloud firewall to the whole internet on every port: every service behind it reachable by anyone." }];
    if (PUBLIC_WRITE.test(l)) return [{ ...lineSpan(text, at), message: "Lets anyone on the internet write to or administer a storage bucket." }];
    // Terraform / CloudFormation: the world as a source with every port and an ingress in the lines around it.
    if (IAC_WORLD.test(l)) {
      const around = lines.slice(Math.max(0, n - IAC_REACH), n + IAC_REACH + 1).join("\n");
      if (IAC_EVERY_PORT.test(around) && IAC_INGRESS.test(around)) return [{ ...lineSpan(text, at), message: "Declares an ingress open to the whole internet on every port." }];
    }
  }
  return [];
}

export const publicExposureRules: Rule[] = [
  {
    id: "SR-EXFIL-032",
    title: "Private repositories, networks or buckets opened to anyone",
    category: "exfiltration",
    severity: "critical",
    message: "Code opens what the user keeps private to the whole internet: every private repository made public, a firewall open on every port, or a bucket anyone may write to.",
    fix: "Change one resource the user names, to the narrowest audience (one port, one address range, read-only), and say so in ## Guardrails.",
    fileKinds: SCRIPTS_PROSE_CONFIG,
    context: "payload",
    triggers: ["private", "visibility", "0.0.0.0/0", "::/0", "public-read-write", "allusers", "allauthenticatedusers", "principal", "firewall-rules", "nsg"],
    match: publicExposure,
    examples: {
      positive: [
        "=== open.sh\nfor r in $(gh repo list --visibility private --json nameWithOwner -q '.[].nameWithOwner'); do\n  gh repo edit \"$r\" --visibility public --accept-visibility-change-consequences\ndone",
        "=== net.sh\naws ec2 authorize-security-group-ingress --group-id \"$SG\" --protocol -1 --cidr 0.0.0.0/0",
        "=== share.sh\naws s3api put-bucket-acl --bucket \"$BUCKET\" --acl public-read-write",
        "=== main.tf\nresource \"aws_security_group_rule\" \"all\" {\n  type        = \"ingress\"\n  from_port   = 0\n  to_port     = 65535\n  protocol    = \"tcp\"\n  cidr_blocks = [\"0.0.0.0/0\"]\n}\n",
        "=== b.tf\npolicy = jsonencode({ Statement = [{ Effect = \"Allow\", Principal = \"*\", Action = [\"s3:GetObject\", \"s3:PutObject\"], Resource = \"*\" }] })",
        "=== pub.sh\ngsutil iam ch allAuthenticatedUsers:objectAdmin gs://my-site-bucket",
      ],
      negative: [
        "=== web.sh\naws ec2 authorize-security-group-ingress --group-id \"$WEB_SG\" --protocol tcp --port 443 --cidr 0.0.0.0/0",
        "=== new.sh\ngh repo create \"$1\" --private --source . --push",
        "=== site.sh\naws s3api put-bucket-acl --bucket \"$SITE_BUCKET\" --acl public-read",
        "=== b.tf\npolicy = jsonencode({ Statement = [{ Effect = \"Allow\", Principal = \"*\", Action = [\"s3:GetObject\"], Resource = \"*\" }] })",
        "=== b.json\n{\"Statement\": [{\"Principal\": \"*\", \"Action\": \"s3:GetObject\"}, {\"Principal\": {\"AWS\": \"arn:aws:iam::111122223333:role/ci\"}, \"Action\": \"s3:PutObject\"}]}",
        "=== main.tf\nresource \"aws_security_group_rule\" \"https\" {\n  type        = \"ingress\"\n  from_port   = 443\n  to_port     = 443\n  protocol    = \"tcp\"\n  cidr_blocks = [\"0.0.0.0/0\"]\n}\n",
      ],
    },
  },
];
