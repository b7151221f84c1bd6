class Main {
  static final String API_TOKEN = "zlPRqEXoscb49e" +  // secretlint:want generic-secret
      "RHz54U4WZFEhK0";
  static final char QUOTE = '"';
  String msg = "token " + "expired";  // secretlint:nowant generic-secret
  String tokenPrefix = "Bearer" + " ";  // secretlint:nowant generic-secret
}
