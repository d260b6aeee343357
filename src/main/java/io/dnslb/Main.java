package io.dnslb; public class Main { public static void main(String[] a){} }
