@echo off
rem dbtool launcher for Windows. Finds the bundle from its own location.
rem Java: the bundle's runtime\ when present, else DBTOOL_JAVA_HOME, else JAVA_HOME.
setlocal
set "DBTOOL_HOME=%~dp0.."
for %%I in ("%DBTOOL_HOME%") do set "DBTOOL_HOME=%%~fI"

set "JAVA=%DBTOOL_HOME%\runtime\bin\java.exe"
if exist "%JAVA%" goto run
set "JAVA=%DBTOOL_JAVA_HOME%\bin\java.exe"
if defined DBTOOL_JAVA_HOME if exist "%JAVA%" goto run
set "JAVA=%JAVA_HOME%\bin\java.exe"
if defined JAVA_HOME if exist "%JAVA%" goto run
echo dbtool: no Java 25 runtime found: set JAVA_HOME to a JDK 25, or use a bundle with runtime\ 1>&2
exit /b 70

:run
"%JAVA%" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC ^
  --enable-native-access=org.jline.terminal.ffm,org.jline.nativ ^
  --add-modules java.sql,java.naming,java.management,java.net.http,java.security.jgss,java.security.sasl,jdk.security.auth,jdk.naming.dns,jdk.unsupported,jdk.charsets,java.xml ^
  -Dorg.jline.terminal.dumb=true ^
  "-Ddbtool.home=%DBTOOL_HOME%" ^
  %DBTOOL_JAVA_OPTS% ^
  --module-path "%DBTOOL_HOME%\lib" ^
  --module dbtool.core/dbtool.core.Main %*
exit /b %ERRORLEVEL%
