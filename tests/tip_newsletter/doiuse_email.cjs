// Checks an email's HTML against caniemail data (@jsx-email/doiuse-email, offline):
// node doiuse_email.cjs <file.html> <client glob>... prints {"errors": [...], "warnings": [...]}.
const fs = require("fs");
const { doIUseEmail } = require("@jsx-email/doiuse-email");

const [file, ...emailClients] = process.argv.slice(2);
const result = doIUseEmail(fs.readFileSync(file, "utf8"), { emailClients });
process.stdout.write(JSON.stringify({ errors: result.errors || [], warnings: result.warnings || [] }));
