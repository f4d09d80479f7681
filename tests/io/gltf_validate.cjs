// Validate a glTF/GLB with the Khronos glTF validator (npm "gltf-validator"); print the report as JSON.
// Usage: node gltf_validate.cjs FILE   (NODE_PATH must reach the gltf-validator package)
const fs = require("fs");
const validator = require("gltf-validator");

const file = process.argv[2];
validator
  .validateBytes(new Uint8Array(fs.readFileSync(file)), { uri: file, maxIssues: 100 })
  .then((report) => console.log(JSON.stringify(report)))
  .catch((error) => {
    console.error(String(error));
    process.exit(2);
  });
