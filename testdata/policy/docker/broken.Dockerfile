FROM alpine
RUN <<EOF
echo unterminated heredoc
