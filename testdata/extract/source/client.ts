const apiKey = "Xy2cilLnpckmoAVe" +  // secretlint:want generic-secret
  "KSBa3AFIgHrrgWmK";
const header = "Authorization: " + "Bearer " + token;  // secretlint:nowant generic-secret
const config = { password: "rDP!lyI6DsqwbX" };  // secretlint:want generic-secret
