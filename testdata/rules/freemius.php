<?php
// Freemius SDK initialisation in a WordPress plugin.
$my_fs = fs_dynamic_init( array(
    'id'         => '12345',
    'slug'       => 'acme-plugin',
    'public_key' => 'pk_3f1c0b6d2e9a8f7c5b4a3d2e1f0a9',
    'secret_key' => 'sk_dXZO3DDp1ROgck*IN(1kVf8g;sKZS',  // secretlint:want freemius-secret-key
    'secret_key' => 'sk_test_4eC39HqLyjWDarjtT1zdp7dc',  // secretlint:nowant freemius-secret-key
    'secret_key' => FS_SECRET_KEY,  // secretlint:nowant freemius-secret-key
) );
